"""Coverage: a checklist of facts drawn from the four seed documents, each answerable from the built graph by
SPARQL and each traced to the seed document that states it.

Each entry: (question, expected answer, seed file, SELECT query). The query binds ?fact (the node that
carries the fact) and ?answer; the test asserts that the expected answer is among the answers, and that the
?fact of a matching row cites the seed file (cst:citation/cst:citedSource/cst:seedFile).
"""

from __future__ import annotations

import pytest

from cstograph.namespaces import sparql_prefixes
from cstograph.store import GraphStore

S000, S002, S003, S004 = ("000_bc88a2134bb8f35b.txt", "002_f91b04b62670fa7f.txt",
                          "003_c2a6dec94f66bae9.txt", "004_31ac2e71aae4dd18.txt")

PREFIXES = sparql_prefixes()  # the project's one prefix table (cstograph.namespaces)


def stat(of: str, measure: str) -> str:
    """Value of the statistic of one measure about one node, with its qualifier."""
    return (f"SELECT ?fact (CONCAT(?q, ' ', STR(?v)) AS ?answer) WHERE {{ ?fact cst:statisticOf {of} ; "
            f"cst:measure cst:{measure} ; cst:value ?v ; cst:valueQualifier ?q }}")


def label(node: str) -> str:
    return f"SELECT ?fact ?answer WHERE {{ BIND({node} AS ?fact) ?fact rdfs:label ?answer FILTER(lang(?answer) = 'en') }}"


def value(node: str, path: str) -> str:
    return f"SELECT ?fact (STR(?a) AS ?answer) WHERE {{ BIND({node} AS ?fact) ?fact {path} ?a }}"


def linked_label(node: str, path: str) -> str:
    return (f"SELECT ?fact ?answer WHERE {{ BIND({node} AS ?fact) ?fact {path} ?x . "
            f"?x rdfs:label ?answer FILTER(lang(?answer) = 'en') }}")


def claim_by(claim: str) -> str:
    return linked_label(f"claim:{claim}", "cst:claimedBy")


CHECKLIST: list[tuple[str, str, str, str]] = [
    # ---------------------------------------------------------------- seed 000
    ("Where does A. V. Kornilenko work?", "Ministry of Defence of the Russian Federation", S000,
     linked_label("person:aleksandr-kornilenko", "cst:affiliation")),
    ("Who says the CSTO is experiencing an identity crisis?", "Aleksandr Vladimirovich Kornilenko", S000, claim_by("000-identity-crisis")),
    ("Which organization, per seed 000, treats the CSTO with complete political ignorance?", "North Atlantic Treaty Organization", S000,
     "SELECT ?fact ?answer WHERE { BIND(claim:000-nato-political-ignorance AS ?fact) ?fact cst:about organization:nato . "
     "organization:nato rdfs:label ?answer FILTER(lang(?answer)='en') }"),
    ("How many works does seed 000 cite?", "24", S000,
     "SELECT ?fact (STR(COUNT(?w)) AS ?answer) WHERE { BIND(work:000-ref-1 AS ?fact) source:seed-000 cst:cites ?w } GROUP BY ?fact"),
    ("What is the DOI of reference 3 of seed 000 (Bokeriya 2019)?", "doi:10.17323/1996-7845-2019-01-02", S000, value("work:000-ref-3", "dcterms:identifier")),
    ("Which work of seed 000's references is seed 002 itself?", "https://w3id.org/cstograph/id/source/seed-002", S000,
     value("work:000-ref-14", "cst:sameWorkAs")),
    ("Which reference of seed 002 is the same Golub & Golub article as seed 000's reference 8?", "https://w3id.org/cstograph/id/work/002-ref-7", S000,
     value("work:000-ref-8", "cst:sameWorkAs")),
    ("When was Nikitin's Valdai report (ref. 15 of seed 000) published?", "2017", S000, value("work:000-ref-15", "dcterms:date")),
    ("Where, per seed 000, do the CSTO's peacekeeping activities extend?", "the region, as well as beyond", S000,
     "SELECT ?fact ?answer WHERE { BIND(claim:000-peacekeeping-beyond-region AS ?fact) ?fact cst:claimText ?t "
     "FILTER(CONTAINS(?t, 'in the region, as well as beyond')) BIND('the region, as well as beyond' AS ?answer) }"),
    # ---------------------------------------------------------------- seed 002
    ("Where does K. I. Mozolev work?", "Russian Customs Academy", S002, linked_label("person:kirill-mozolev", "cst:affiliation")),
    ("What address does seed 002 give for its author (under his affiliation)?", "21/50 Budennovsky Ave., 344002 Rostov-on-Don, Russia", S002,
     value("person:kirill-mozolev", "cst:address")),
    ("On what date does seed 002 say the CSTO was established?", "1992-05-15", S002, value("claim:002-csto-established-1992", "cst:claimValue")),
    ("Which claim of the record does seed 002's founding date contradict?", "https://w3id.org/cstograph/id/claim/record-csto-established-2002", S002,
     value("claim:002-csto-established-1992", "cst:contradicts")),
    ("How many full members does seed 002 give the CSTO?", "exact 6", S002,
     "SELECT ?fact (CONCAT(?q, ' ', STR(?v)) AS ?answer) WHERE { BIND(stat:csto-members-002 AS ?fact) ?fact cst:value ?v ; cst:valueQualifier ?q }"),
    ("What event does seed 002 say the CSTO could not prevent?", "Revolution in Kyrgyzstan, 2010 (ouster of President Bakiyev)", S002,
     linked_label("claim:002-kgz-2010-coup-not-prevented", "cst:supportsFact")),
    ("Who expressed scepticism about the CSTO's efficiency after the 2010 coup?", "Alexander Lukashenko", S002,
     linked_label("event:lukashenko-skepticism-2010", "cst:speaker")),
    ("Which country does seed 002 doubt would stand for Armenia in Nagorno-Karabakh?", "Kazakhstan", S002,
     "SELECT ?fact ?answer WHERE { BIND(claim:002-kaz-unlikely-to-stand-for-armenia AS ?fact) ?fact cst:about state:KAZ . "
     "state:KAZ rdfs:label ?answer FILTER(lang(?answer)='en') }"),
    ("Who said Moscow will consider any military attack on Belarus an attack on Russia?", "Mikhail Babich", S002,
     linked_label("event:babich-statement-2018", "cst:speaker")),
    ("What post did Mikhail Babich hold?", "Ambassador of Russia to Belarus", S002, linked_label("person:mikhail-babich", "org:holds")),
    ("Where is the Russian 102nd Military Base?", "Gyumri", S002, linked_label("place:russian-102nd-military-base", "cst:locatedIn")),
    ("Which state does the 102nd Military Base belong to?", "Russia", S002, linked_label("place:russian-102nd-military-base", "cst:stateOf")),
    ("Who protects Armenia's borders with Turkey and Iran (per seed 002)?", "Border Troops of the Federal Security Service of the Russian Federation", S002,
     label("organization:fsb-border-troops")),
    ("Which article of the Charter does seed 002 quote for the non-military threats?", "8.1", S002,
     "SELECT ?fact ?answer WHERE { BIND(claim:002-charter-art-8-1 AS ?fact) ?fact cst:about ?a . ?a cst:articleNumber ?answer }"),
    ("How many terrorists did Rahmonali say gathered near the Tajik border in 2015?", "more than 1500", S002,
     stat("place:tajik-afghan-border", "MeasureMilitantsGathered")),
    ("Who was the commander of Tajikistan's border forces in 2015?", "Rajabali Rahmonali", S002, linked_label("event:rahmonali-statement-2015", "cst:speaker")),
    ("Which groups did Rahmonali name among the gathered terrorists?", "Ansarulloh", S002,
     "SELECT ?fact ?answer WHERE { BIND(event:rahmonali-statement-2015 AS ?fact) ?fact cst:about ?g . ?g a cst:ArmedGroup ; rdfs:label ?answer FILTER(lang(?answer)='en') }"),
    ("How many civilians work for NATO (per seed 002)?", "about 6000", S002, stat("organization:nato", "MeasureCivilianStaff")),
    ("How many civil workers are in the CSTO Secretariat (per seed 002)?", "exact 50", S002, stat("body:csto-secretariat", "MeasureCivilianStaff")),
    ("In which countries does seed 002 say NATO gives humanitarian aid?", "Moldova", S002,
     "SELECT ?fact ?answer WHERE { BIND(claim:002-nato-humanitarian-aid AS ?fact) ?fact cst:about ?s . ?s a cst:State ; rdfs:label ?answer FILTER(lang(?answer)='en') }"),
    ("What does seed 002 call Operation Canal?", "Operation Channel", S002,
     "SELECT ?fact ?answer WHERE { BIND(operation:canal AS ?fact) ?fact skos:altLabel ?answer FILTER(lang(?answer)='en') }"),
    ("Which European Commission anti-drug programme does seed 002 name?", "CADAP", S002,
     "SELECT ?fact ?answer WHERE { BIND(recommendation:mozolev-2018-cadap-channel AS ?fact) ?fact cst:claimText ?t FILTER(CONTAINS(?t, 'CADAP')) BIND('CADAP' AS ?answer) }"),
    ("What did Nazarbayev say in 2014 about the CSTO?", "open for constructive interaction", S002,
     "SELECT ?fact ?answer WHERE { BIND(claim:nazarbayev-csto-open AS ?fact) ?fact cst:claimText ?t FILTER(CONTAINS(?t, 'open for constructive interaction')) BIND('open for constructive interaction' AS ?answer) }"),
    ("When did the International Antiterrorism Media Forum take place?", "2004", S002,
     value("event:international-antiterrorism-media-forum-2004-2006", "cst:startDate")),
    ("Where was the 2018 CSTO Model Conference held?", "Tsakhkadzor", S002, linked_label("event:tsakhkadzor-model-conference-2018", "cst:place")),
    ("When did the Tsakhkadzor Model Conference start?", "2018-08-17", S002, value("event:tsakhkadzor-model-conference-2018", "cst:startDate")),
    ("When did the Tsakhkadzor Model Conference end?", "2018-08-21", S002, value("event:tsakhkadzor-model-conference-2018", "cst:endDate")),
    ("How many lettered recommendations of the Tsakhkadzor conference are in group 2?", "4", S002,
     "SELECT ?fact (STR(COUNT(?r)) AS ?answer) WHERE { BIND(recommendation:tsakhkadzor-2018-2a AS ?fact) ?r cst:recommendationGroup cst:RecGroupStrategicCommunication ; cst:proposedAt event:tsakhkadzor-model-conference-2018 ; cst:recommendationKey ?k FILTER(STRLEN(?k) = 2) } GROUP BY ?fact"),
    ("What is the Russian name of recommendation group 1?", "пограничная безопасность", S002,
     "SELECT ?fact ?answer WHERE { BIND(recommendation:tsakhkadzor-2018-1a AS ?fact) ?fact cst:recommendationGroup ?g . ?g rdfs:label ?answer FILTER(lang(?answer)='ru') }"),
    ("Which borders should get touch sensors (recommendation 1a)?", "Tajik-Kyrgyz border", S002,
     linked_label("recommendation:tsakhkadzor-2018-1a", "cst:about")),
    ("Which state should provide a French-speaking contingent (recommendation 3b)?", "Armenia", S002,
     "SELECT ?fact ?answer WHERE { BIND(recommendation:tsakhkadzor-2018-3b AS ?fact) ?fact cst:addressedTo ?s . ?s a cst:State ; rdfs:label ?answer FILTER(lang(?answer)='en') }"),
    ("With which organization should the CSTO cooperate on conflict resolution (3c)?", "Organization for Security and Co-operation in Europe", S002,
     linked_label("recommendation:tsakhkadzor-2018-3c", "cst:about")),
    ("Who says the CSTO has never participated even in humanitarian missions outside the union?", "Kirill Igorevich Mozolev", S002,
     claim_by("002-no-humanitarian-missions-outside")),
    ("Who says only a few people know about the CSTO?", "Kirill Igorevich Mozolev", S002, claim_by("002-only-few-know")),
    ("What is the URL of reference 6 of seed 002 (TASS)?", "https://tass.ru/mezhdunarodnaya-panorama/1667178", S002, value("work:002-ref-6", "foaf:page")),
    # ---------------------------------------------------------------- seed 003
    ("Where was the Collective Security Treaty signed (per seed 003)?", "Tashkent", S003, linked_label("event:cst-signing-1992", "cst:place")),
    ("When did Putin become president of Russia (per seed 003)?", "1999-12", S003, value("event:putin-becomes-president-1999", "cst:date")),
    ("Which states does seed 003 say joined the Treaty in 1993?", "https://w3id.org/cstograph/id/state/BLR", S003,
     value("claim:003-accessions-1993", "cst:about")),
    ("What does seed 003 say Uzbekistan did in 2012?", "suspended its membership", S003,
     "SELECT ?fact ?answer WHERE { BIND(claim:003-uzb-2006-2012-suspended AS ?fact) ?fact cst:claimText ?t FILTER(CONTAINS(?t, 'suspended its membership')) BIND('suspended its membership' AS ?answer) }"),
    ("Where is the CSTO headquartered (per seed 003)?", "Moscow", S003, linked_label("claim:003-hq-moscow-russian", "cst:about")),
    ("For how long is the CSTO Secretary General appointed (per seed 003)?", "P3Y", S003, value("claim:003-secretary-general-three-years", "cst:claimValue")),
    ("Who has been CSTO Secretary General since 1 January 2023 (per seed 003)?", "Imangali Tasmagambetov", S003,
     "SELECT ?fact ?answer WHERE { BIND(claim:003-tasmagambetov-since-2023 AS ?fact) ?fact cst:about ?p . ?p a cst:Person ; rdfs:label ?answer FILTER(lang(?answer)='en') }"),
    ("How many people do the Collective Rapid Deployment Forces number?", "about 5000", S003, stat("formation:csto-crdf", "MeasurePersonnel")),
    ("When were the Collective Rapid Deployment Forces formed (per seed 003)?", "2001", S003, value("claim:003-crdf-2001", "cst:claimValue")),
    ("How many military personnel does the CSTO Peacekeeping Force have?", "about 3000", S003,
     stat("formation:csto-peacekeeping-forces", "MeasureMilitaryPersonnel")),
    ("How many police representatives does the CSTO Peacekeeping Force have?", "about 600", S003,
     stat("formation:csto-peacekeeping-forces", "MeasurePolicePersonnel")),
    ("How many personnel do the Collective Rapid Response Forces have?", "about 20000", S003, stat("formation:csto-crrf", "MeasurePersonnel")),
    ("When does seed 003 say the Collective Rapid Response Forces were created?", "2009", S003, value("claim:003-crrf-2009", "cst:claimValue")),
    ("When was the use of CSTO peacekeepers in Donbas discussed?", "2015", S003, value("event:donbas-peacekeepers-discussion-2015", "cst:date")),
    ("When did Tokayev ask the CSTO for peacekeeping forces?", "2022-01-05", S003, value("event:kaz-2022-request", "cst:date")),
    ("Whose troops does seed 003 say entered Kazakhstan the next day?", "Russia", S003,
     "SELECT ?fact ?answer WHERE { BIND(claim:003-kaz-2022-russian-troops-next-day AS ?fact) ?fact cst:about ?s . ?s a cst:State ; rdfs:label ?answer FILTER(lang(?answer)='en') }"),
    ("Which named exercises does seed 003 list?", "CSTO exercise \"Rubizh\" (recurring)", S003,
     "SELECT ?fact ?answer WHERE { ?fact a cst:Exercise ; rdfs:label ?answer FILTER(lang(?answer)='en') }"),
    ("Since when has Operation Mercenary been conducted?", "2019", S003, value("operation:mercenary", "cst:startDate")),
    ("Since when has Operation Canal been conducted?", "2003", S003, value("operation:canal", "cst:startDate")),
    ("How many tonnes of drugs were seized in Operation Canal?", "more than 428", S003, stat("operation:canal", "MeasureDrugsSeizedTonnes")),
    ("How many drug groups did Operation Canal neutralize?", "exact 6351", S003, stat("operation:canal", "MeasureDrugGroupsNeutralized")),
    ("How many migration-law violations did Operation Illegal detect?", "more than 1700000", S003, stat("operation:illegal", "MeasureMigrationViolations")),
    ("How many criminal cases for organizing illegal migration did Operation Illegal bring?", "more than 36000", S003,
     stat("operation:illegal", "MeasureIllegalMigrationCases")),
    ("How many human-trafficking cases did Operation Illegal bring?", "exact 564", S003, stat("operation:illegal", "MeasureHumanTraffickingCases")),
    ("How many wanted persons did Operation Illegal detain?", "about 6000", S003, stat("operation:illegal", "MeasureWantedPersonsDetained")),
    ("How many information resources did Operation PROXI identify?", "more than 377000", S003, stat("operation:proxi", "MeasureInformationResourcesIdentified")),
    ("How many information links did Operation PROXI identify?", "more than 1900000", S003, stat("operation:proxi", "MeasureInformationLinksIdentified")),
    ("Who reports the PROXI figures (per seed 003)?", "Collective Security Treaty Organization", S003, linked_label("stat:proxi-resources-003", "cst:reportedBy")),
    ("According to Minsk, what caused the 2009 milk war?", "https://w3id.org/cstograph/id/event/blr-eastern-partnership-accession", S003,
     value("claim:minsk-milk-war-cause-eastern-partnership", "cst:about")),
    ("Who did the 2010 revolution in Kyrgyzstan oust?", "Kurmanbek Bakiyev", S003, linked_label("event:kgz-2010-revolution", "cst:target")),
    ("How many were killed in the 2010 clashes in southern Kyrgyzstan (seed 003)?", "hundreds of people killed (seed 003)", S003,
     value("event:kgz-2010-osh-clashes", "cst:casualtiesNote")),
    ("What does seed 003 say happened to Otunbayeva's request?", "https://w3id.org/cstograph/id/event/kgz-2010-refusal", S003,
     value("claim:003-kgz-2010-request-ignored", "cst:disputesFact")),
    ("How many armed conflicts took place on the Kyrgyz-Tajik border in 10 years?", "exact 144", S003,
     stat("event:kgz-tjk-border-conflict", "MeasureArmedIncidents")),
    ("How many people were killed in the Kyrgyz-Tajik border conflicts?", "more than 200", S003, stat("event:kgz-tjk-border-conflict", "MeasureKilled")),
    ("Who reported the Kyrgyz-Tajik casualty figures?", "Radio Azattyk", S003, linked_label("stat:kgz-tjk-killed-003", "cst:reportedBy")),
    ("What share of the Kyrgyz-Tajik border was disputed?", "about 30", S003, stat("place:tajik-kyrgyz-border", "MeasureDisputedBorderShare")),
    ("Since when have Kyrgyz-Tajik border disputes turned into armed clashes?", "2012", S003, value("event:kgz-tjk-border-conflict", "cst:startDate")),
    ("In which years did Armenia ask for CSTO assistance (per seed 003)?", "2020", S003,
     "SELECT ?fact (STR(?d) AS ?answer) WHERE { ?fact a cst:RequestForAssistance ; cst:requester state:ARM ; cst:date ?d FILTER(STR(?d) = '2020') }"),
    ("What followed Armenia's 2020 request (per seed 003)?", "No favourable CSTO response to Armenia's 2020 request", S003,
     "SELECT ?fact ?answer WHERE { ?fact cst:respondsTo event:arm-2020-request ; rdfs:label ?answer FILTER(lang(?answer)='en') }"),
    ("Which regions held referendums in September 2022 (per seed 003)?", "Zaporizhzhia Oblast", S003, linked_label("event:ukr-2022-referendums", "cst:place")),
    ("Who said in February 2023 there was no need for the CSTO to enter the war?", "Anatoly Sidorov", S003, linked_label("event:sidorov-statement-2023-02", "cst:speaker")),
    ("What post did Anatoly Sidorov hold?", "Chief of the CSTO Joint Staff", S003, linked_label("person:anatoly-sidorov", "org:holds")),
    ("Who says Kazakhstan could have asked Russia directly in 2022?", "Oleh Parkhitko", S003, claim_by("003-kaz-could-ask-russia")),
    ("Who says CSTO members repeatedly violated the Treaty by ignoring requests?", "Oleh Parkhitko", S003, claim_by("003-members-violated-treaty")),
    ("Which organization does seed 003 compare the CSTO to as a power bloc?", "Warsaw Pact", S003,
     "SELECT ?fact ?answer WHERE { BIND(claim:003-bloc-like-warsaw-pact AS ?fact) ?fact cst:about organization:warsaw-pact . "
     "organization:warsaw-pact rdfs:label ?l FILTER(lang(?l)='en') BIND(IF(CONTAINS(?l, 'Warsaw'), 'Warsaw Pact', ?l) AS ?answer) }"),
    # ---------------------------------------------------------------- seed 004
    ("Which university did Kenan Ağazade graduate from?", "Malmö University", S004, linked_label("person:kenan-agazade", "cst:educatedAt")),
    ("Which think tank published seed 004?", "ANKASAM", S004, linked_label("person:kenan-agazade", "cst:affiliation")),
    ("What share of respondents would count on CSTO assistance (per seed 004)?", "exact 7", S004, stat("organization:csto", "MeasurePollShare")),
    ("Who called on Kyrgyzstan and Tajikistan to make peace?", "Stanislav Zas", S004, linked_label("event:zas-call-for-peace-kgz-tjk", "cst:speaker")),
    ("What was the CSTO's legal argument about the Kyrgyz-Tajik fighting (per seed 004)?", "Collective Security Treaty Organization", S004,
     claim_by("csto-legal-argument-kgz-territory")),
    ("Which member alone sent troops to Syria in 2017 (per seed 004)?", "Armenia", S004, linked_label("event:arm-syria-demining-2017", "cst:contributor")),
    ("Who asked the allies to send a contingent to Syria in 2017?", "Russia", S004, linked_label("event:rus-syria-request-2017", "cst:requester")),
    ("When was Mirziyoyev elected president of Uzbekistan (per seed 004)?", "2016", S004, value("event:uzb-2016-presidential-election", "cst:date")),
    ("What does seed 004 say Uzbekistan did in 2012?", "https://w3id.org/cstograph/id/event/uzb-suspension-2012", S004,
     value("claim:004-uzb-quit-2012", "cst:disputesFact")),
    ("Did Lukashenko appeal to the CSTO during the 2020 protests (seed 004)?", "https://w3id.org/cstograph/id/event/blr-2020-protests", S004,
     value("claim:004-lukashenko-no-appeal-2020", "cst:about")),
    ("Which member is strongest in armed forces (per seed 004)?", "Belarus", S004,
     "SELECT ?fact ?answer WHERE { BIND(claim:004-belarus-strongest AS ?fact) ?fact cst:about ?s . ?s rdfs:label ?answer FILTER(lang(?answer)='en') }"),
    ("Who says the CSTO charter is based on World War II-style invasions?", "Kenan Ağazade", S004, claim_by("004-charter-wwii-style")),
    ("Who says Russia is more alone now than the USSR was in the Cold War?", "Kenan Ağazade", S004, claim_by("004-russia-more-alone")),
    ("Which seed-004 claim does seed 002's 'only a few people know' corroborate?", "https://w3id.org/cstograph/id/claim/004-never-popular", S004,
     "SELECT ?fact (STR(?fact) AS ?answer) WHERE { claim:002-only-few-know cst:corroborates ?fact }"),
    ("What impending event does seed 004 say gives the CSTO a chance?", "https://w3id.org/cstograph/id/event/us-withdrawal-afghanistan", S004,
     value("claim:004-afghanistan-chance", "cst:about")),
    # ---------------------------------------------------------------- added by the 2026-11-23 audit
    ("Which end year does the Radio Azattyk map in seed 003 give the Kyrgyz-Tajik border conflicts?", "2022", S003,
     value("claim:003-kgz-tjk-map-2012-2022", "cst:claimValue")),
    ("Which reading of seed 003 contradicts the map's 2022 end of the Kyrgyz-Tajik conflict?", "https://w3id.org/cstograph/id/claim/003-kgz-tjk-map-2012-2022", S003,
     value("claim:003-kgz-tjk-ongoing-2023", "cst:contradicts")),
    ("Who says Kyrgyzstan and Tajikistan are still in a state of armed conflict in 2023?", "Oleh Parkhitko", S003, claim_by("003-kgz-tjk-ongoing-2023")),
    ("Does the graph assert an end date for the Kyrgyz-Tajik border conflict?", "no", S003,
     "SELECT ?fact ?answer WHERE { BIND(event:kgz-tjk-border-conflict AS ?fact) ?fact cst:startDate ?s "
     "BIND(IF(EXISTS { ?fact cst:endDate ?e }, 'yes', 'no') AS ?answer) }"),
    ("Which record claim does seed 002's 'banned from joining other military alliances' contradict?", "https://w3id.org/cstograph/id/claim/record-art1-1992", S002,
     value("claim:002-treaty-bans-other-alliances", "cst:contradicts")),
    ("Which article version does seed 002's reading of Article 1 dispute?", "https://w3id.org/cstograph/id/article-version/cst-1-1992", S002,
     value("claim:002-treaty-bans-other-alliances", "cst:disputesFact")),
    ("Who examines the reasons for the creation of the CSTO and relations between its members?", "Aleksandr Vladimirovich Kornilenko", S000,
     claim_by("000-member-relations-and-origins")),
    ("What academic degree and rank does Kornilenko hold?", "PhD in Political Sciences, Senior Officer", S000,
     "SELECT ?fact ?answer WHERE { BIND(person:aleksandr-kornilenko AS ?fact) ?fact dcterms:description ?d "
     "FILTER(CONTAINS(?d, 'PhD in Political Sciences, Senior Officer')) BIND('PhD in Political Sciences, Senior Officer' AS ?answer) }"),
    ("Who says a military alliance's efficiency has two aspects?", "Kirill Igorevich Mozolev", S002, claim_by("002-two-aspects-of-efficiency")),
    ("Which campaigns does seed 002 say build public understanding of an alliance?", "educational programmes", S002,
     "SELECT ?fact ?answer WHERE { BIND(claim:002-two-aspects-of-efficiency AS ?fact) ?fact cst:claimText ?t "
     "FILTER(CONTAINS(?t, 'educational programmes')) BIND('educational programmes' AS ?answer) }"),
    ("When was seed 002's Babich statement reported?", "2018", S002, value("event:babich-statement-2018", "cst:date")),
    ("In which year did Nazarbayev say the CSTO is open for interaction?", "2014", S002, value("event:nazarbayev-statement-2014", "cst:date")),
    ("Who says the CSTO's main efforts are aimed at military cooperation?", "Oleh Parkhitko", S003, claim_by("003-main-efforts-military")),
    ("Which named exercise does seed 003 say CSTO forces take part in every year?", "CSTO exercise \"Cobalt\" (recurring)", S003,
     linked_label("claim:003-annual-exercises", "cst:about")),
    ("What has been established in CSTO countries for the repair of weapons (per seed 003)?", "service centres", S003,
     "SELECT ?fact ?answer WHERE { BIND(claim:003-military-technical-cooperation AS ?fact) ?fact cst:claimText ?t "
     "FILTER(CONTAINS(?t, 'service centres')) BIND('service centres' AS ?answer) }"),
    ("Who says the CSTO today has a lot of problems and disagreements?", "Oleh Parkhitko", S003, claim_by("003-many-problems")),
    ("Who composes the Collective Security Council (per seed 003)?", "https://w3id.org/cstograph/ontology#RoleHeadsOfState", S003,
     value("body:csto-collective-security-council", "cst:compositionRole")),
    ("Who composes the Permanent Council (per seed 003)?", "https://w3id.org/cstograph/ontology#RolePlenipotentiaries", S003,
     value("body:csto-permanent-council", "cst:compositionRole")),
    ("Of which organization is the Council of Defence Ministers a body?", "Collective Security Treaty Organization", S003,
     linked_label("body:csto-council-of-defence-ministers", "cst:bodyOf")),
    ("From which region does Operation Mercenary expect terrorist elements?", "Middle East", S003, linked_label("operation:mercenary", "cst:about")),
    ("Since when has Tasmagambetov's term as Secretary General run (per seed 003)?", "2023-01-01", S003,
     value("<https://w3id.org/cstograph/id/term/csto-secretary-general-2023-tasmagambetov>", "cst:startDate")),
    ("Which state asked the CSTO for peacekeepers on 5 January 2022?", "Kazakhstan", S003, linked_label("event:kaz-2022-request", "cst:requester")),
    ("Which state's 2010 request does seed 003 say was ignored?", "Kyrgyzstan", S003, linked_label("event:kgz-2010-request", "cst:requester")),
    ("When did Russia ban Belarusian dairy imports (the 'milk war')?", "2009-06-06", S003, value("event:blr-dairy-ban-2009", "cst:date")),
    ("When was the Russian-Georgian war (per seed 003)?", "2008", S003, value("event:russia-georgia-war-2008", "cst:date")),
    ("Since when has Mirziyoyev been president of Uzbekistan (per seed 004)?", "2016", S004,
     value("<https://w3id.org/cstograph/id/term/president-of-uzbekistan-2016-mirziyoyev>", "cst:startDate")),
    ("Who says the CSTO's unpopularity is due neither to its cost nor to a policy?", "Kenan Ağazade", S004, claim_by("004-unpopular-not-cost-or-policy")),
    ("Who says Lukashenko failed to appeal to the CSTO in 2020?", "Kenan Ağazade", S004, claim_by("004-lukashenko-no-appeal-2020")),
    ("Where was Kenan Ağazade a research assistant?", "Russia and the Caucasus Regional Research Center", S004,
     linked_label("person:kenan-agazade", "cst:heldTerm/cst:post/cst:postIn")),
]


def _ids() -> list[str]:
    return [f"{i:02d}-{q[:40]}" for i, (q, *_rest) in enumerate(CHECKLIST, 1)]


def test_checklist_is_large_and_covers_all_four_documents() -> None:
    assert len(CHECKLIST) >= 70
    assert {seed for _q, _a, seed, _s in CHECKLIST} == {S000, S002, S003, S004}


@pytest.mark.parametrize(("question", "answer", "seed", "sparql"), CHECKLIST, ids=_ids())
def test_fact_is_answerable_and_cites_its_seed(question: str, answer: str, seed: str, sparql: str, store: GraphStore) -> None:
    text = PREFIXES + sparql
    rows = store.select(text)
    matching = [r for r in rows if r.get("answer") is not None and r["answer"].value == answer]
    assert matching, f"{question}: expected {answer!r}, got {sorted({r['answer'].value for r in rows if r.get('answer')})}"
    cited = [r["fact"] for r in matching
             if bool(store.query(f'PREFIX cst: <https://w3id.org/cstograph/ontology#> ASK {{ <{r["fact"].value}> '
                                 f'cst:citation/cst:citedSource/cst:seedFile "{seed}" }}'))]
    assert cited, f"{question}: the fact does not cite {seed}"
