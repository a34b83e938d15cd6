"""A recognizer for SPARQL 1.1 Query (§19.8 productions [1]–[138]) that reports what a query would make
the engine do: its form, its ``SERVICE`` calls, its dataset clauses, and how deep its algebra goes.

It builds no algebra. Each production returns the *depth* of the algebra node it stands for, counted the way
a recursive evaluator nests (the serving engine, Oxigraph, evaluates recursively and overflows its stack on
deep trees): a group of *n* elements folds them left-deep (depth *n* + the deepest element), a union of *k*
branches adds *k*, a chain of *k* binary operators adds *k*, a path sequence of *k* steps adds *k*, and
every pattern or function wrapping another adds one. Bracket nesting is limited separately (it bounds this
parser's own recursion).

Productions are named after the specification's; comments give their numbers.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass, field

from ._lexer import Lexer, SparqlSyntaxError, Token, TokenKind, position

__all__ = ["Limits", "ParseResult", "QueryTooComplex", "ServiceCall", "UpdateRequest", "parse_query"]


class QueryTooComplex(ValueError):
    """The query nests deeper than the configured limits."""


class UpdateRequest(ValueError):
    """The text is a SPARQL 1.1 Update request (its first keyword after the prologue is an update verb)."""


@dataclass(frozen=True, slots=True)
class Limits:
    #: Deepest nesting of brackets: groups, sub-queries, parenthesised expressions and paths, collections.
    max_nesting: int = 64
    #: Deepest algebra (see the module docstring).
    max_depth: int = 1000


@dataclass(frozen=True, slots=True)
class ServiceCall:
    #: The endpoint IRI as the engine would read it (prefixes expanded, escapes decoded); None for a variable.
    iri: str | None
    variable: str | None
    silent: bool
    line: int
    column: int
    #: Where the endpoint is written in the query text: [start, end) offsets.
    span: tuple[int, int] = (0, 0)


@dataclass(slots=True)
class ParseResult:
    form: str = ""
    services: list[ServiceCall] = field(default_factory=list)
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    depth: int = 0
    max_nesting: int = 0
    prefixes: dict[str, str] = field(default_factory=dict)
    base: str | None = None


_UPDATE_VERBS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"})
# Built-in calls (§19.8 [121]) by argument count; "list" takes an ExpressionList, "nil" takes ().
_BUILTINS_1 = frozenset({
    "STR", "LANG", "DATATYPE", "IRI", "URI", "ABS", "CEIL", "FLOOR", "ROUND", "STRLEN", "UCASE", "LCASE",
    "ENCODE_FOR_URI", "YEAR", "MONTH", "DAY", "HOURS", "MINUTES", "SECONDS", "TIMEZONE", "TZ", "MD5", "SHA1",
    "SHA256", "SHA384", "SHA512", "ISIRI", "ISURI", "ISBLANK", "ISLITERAL", "ISNUMERIC",
})
_BUILTINS_2 = frozenset({
    "LANGMATCHES", "CONTAINS", "STRSTARTS", "STRENDS", "STRBEFORE", "STRAFTER", "STRLANG", "STRDT", "SAMETERM",
})
_BUILTINS_NIL = frozenset({"RAND", "NOW", "UUID", "STRUUID"})
_BUILTINS_LIST = frozenset({"CONCAT", "COALESCE"})
_BUILTINS_VAR_ARITY = {"SUBSTR": (2, 3), "REGEX": (2, 3), "REPLACE": (3, 4), "IF": (3, 3)}
_AGGREGATES = frozenset({"COUNT", "SUM", "MIN", "MAX", "AVG", "SAMPLE", "GROUP_CONCAT"})
_BUILTIN_WORDS = (_BUILTINS_1 | _BUILTINS_2 | _BUILTINS_NIL | _BUILTINS_LIST | set(_BUILTINS_VAR_ARITY)
                  | _AGGREGATES | {"BOUND", "BNODE", "EXISTS", "NOT"})
# Binary operators by precedence (§19.8 [111]–[117]): ||, &&, relational, additive, multiplicative.
_RELATIONAL = frozenset({"=", "!=", "<", ">", "<=", ">="})


class _Parser:
    def __init__(self, text: str, limits: Limits) -> None:
        self.lex = Lexer(text)
        self.limits = limits
        self.result = ParseResult()
        self._nesting = 0

    # --- token helpers -------------------------------------------------------------------------------------
    def peek(self) -> Token:
        return self.lex.peek()

    def next(self) -> Token:
        return self.lex.next()

    def error(self, message: str, token: Token | None = None) -> SparqlSyntaxError:
        token = token or self.peek()
        found = "the end of the query" if token.kind is TokenKind.EOF else repr(token.text)
        return self.lex.error(f"{message}, found {found}", token.pos)

    def word(self, *words: str) -> bool:
        """Consume the keyword if it is next."""
        if self.peek().is_word(*words):
            self.next()
            return True
        return False

    def punct(self, *marks: str) -> bool:
        if self.peek().is_punct(*marks):
            self.next()
            return True
        return False

    def expect_word(self, word: str) -> Token:
        if not self.peek().is_word(word):
            raise self.error(f"expected {word}")
        return self.next()

    def expect_punct(self, mark: str) -> Token:
        if not self.peek().is_punct(mark):
            raise self.error(f"expected {mark!r}")
        return self.next()

    def enter(self) -> None:
        self._nesting += 1
        if self._nesting > self.result.max_nesting:
            self.result.max_nesting = self._nesting
        if self._nesting > self.limits.max_nesting:
            line, column = position(self.lex.text, self.peek().pos)
            raise QueryTooComplex(f"the query nests brackets more than {self.limits.max_nesting} levels deep "
                                  f"(line {line}, column {column}); flatten it")

    def leave(self) -> None:
        self._nesting -= 1

    # --- [1]–[6] query and prologue ------------------------------------------------------------------------
    def query(self) -> ParseResult:
        self.prologue()
        token = self.peek()
        if token.kind is TokenKind.WORD and token.text in _UPDATE_VERBS:
            raise UpdateRequest(f"{token.text} is a SPARQL Update operation")
        if token.is_word("SELECT"):
            depth = self.select_query()
        elif token.is_word("CONSTRUCT"):
            depth = self.construct_query()
        elif token.is_word("DESCRIBE"):
            depth = self.describe_query()
        elif token.is_word("ASK"):
            depth = self.ask_query()
        else:
            raise self.error("expected SELECT, CONSTRUCT, DESCRIBE or ASK")
        self.result.form = token.text
        depth += self.values_clause()
        if self.peek().kind is not TokenKind.EOF:
            raise self.error("expected the end of the query")
        self.result.depth = depth
        return self.result

    def prologue(self) -> None:  # [4]
        while True:
            if self.word("BASE"):  # [5]
                token = self.next()
                if token.kind is not TokenKind.IRIREF:
                    raise self.error("expected an IRI after BASE", token)
                self.result.base = str(token.value)
            elif self.word("PREFIX"):  # [6]
                name = self.next()
                if name.kind is not TokenKind.PNAME_NS:
                    raise self.error("expected a prefix such as 'ex:' after PREFIX", name)
                iri = self.next()
                if iri.kind is not TokenKind.IRIREF:
                    raise self.error("expected an IRI in the PREFIX declaration", iri)
                self.result.prefixes[name.value[0]] = str(iri.value)  # type: ignore[index]
            else:
                return

    # --- [7]–[28] query forms and clauses ------------------------------------------------------------------
    def select_query(self) -> int:  # [7]
        depth = self.select_clause()
        self.dataset_clauses()
        depth += self.where_clause()
        return depth + self.solution_modifier()

    def sub_select(self) -> int:  # [8]
        depth = self.select_clause()
        depth += self.where_clause()
        depth += self.solution_modifier()
        return 1 + depth + self.values_clause()

    def select_clause(self) -> int:  # [9]
        self.expect_word("SELECT")
        self.word("DISTINCT") or self.word("REDUCED")
        if self.punct("*"):
            return 0
        depth = 0
        count = 0
        while True:
            token = self.peek()
            if token.kind is TokenKind.VAR:
                self.next()
            elif token.is_punct("("):
                self.next()
                self.enter()
                depth = max(depth, self.expression())
                self.expect_word("AS")
                self.var()
                self.expect_punct(")")
                self.leave()
            else:
                break
            count += 1
        if not count:
            raise self.error("expected '*', variables or (expression AS ?var) after SELECT")
        return depth + 1

    def construct_query(self) -> int:  # [10]
        self.expect_word("CONSTRUCT")
        if self.peek().is_punct("{"):
            depth = self.construct_template()
            self.dataset_clauses()
            depth += self.where_clause()
        else:
            self.dataset_clauses()
            self.expect_word("WHERE")
            self.expect_punct("{")
            self.enter()
            depth = 0
            if not self.peek().is_punct("}"):
                depth = self.triples_template()
            self.expect_punct("}")
            self.leave()
        return depth + self.solution_modifier()

    def describe_query(self) -> int:  # [11]
        self.expect_word("DESCRIBE")
        if not self.punct("*"):
            count = 0
            while self.peek().kind in (TokenKind.VAR, TokenKind.IRIREF, TokenKind.PNAME_LN, TokenKind.PNAME_NS):
                self.var_or_iri()
                count += 1
            if not count:
                raise self.error("expected '*', variables or IRIs after DESCRIBE")
        self.dataset_clauses()
        depth = 0
        if self.peek().is_word("WHERE") or self.peek().is_punct("{"):
            depth = self.where_clause()
        return depth + self.solution_modifier()

    def ask_query(self) -> int:  # [12]
        self.expect_word("ASK")
        self.dataset_clauses()
        return self.where_clause() + self.solution_modifier()

    def dataset_clauses(self) -> None:  # [13]–[16]
        while self.word("FROM"):
            named = self.word("NAMED")
            iri = self.iri()
            (self.result.named_graphs if named else self.result.default_graphs).append(iri)

    def where_clause(self) -> int:  # [17]
        self.word("WHERE")
        return self.group_graph_pattern()

    def solution_modifier(self) -> int:  # [18]
        depth = self.group_clause() + self.having_clause() + self.order_clause()
        seen: set[str] = set()  # [25]–[27]
        while self.peek().is_word("LIMIT", "OFFSET") and self.peek().text not in seen:
            seen.add(self.next().text)
            if self.next().kind is not TokenKind.INTEGER:
                raise self.error("expected a non-negative integer")
            depth += 1
        return depth

    def group_clause(self) -> int:  # [19], [20]
        if not self.word("GROUP"):
            return 0
        self.expect_word("BY")
        depth = 0
        count = 0
        while True:
            token = self.peek()
            if token.kind is TokenKind.VAR:
                self.next()
            elif token.is_punct("("):
                self.next()
                self.enter()
                depth = max(depth, self.expression())
                if self.word("AS"):
                    self.var()
                self.expect_punct(")")
                self.leave()
            elif self._starts_call(token):
                depth = max(depth, self.call())
            else:
                break
            count += 1
        if not count:
            raise self.error("expected a grouping condition after GROUP BY")
        return depth + 1

    def having_clause(self) -> int:  # [21], [22]
        if not self.word("HAVING"):
            return 0
        depth = 0
        count = 0
        while self._starts_constraint(self.peek()):
            depth = max(depth, self.constraint()) + 1
            count += 1
        if not count:
            raise self.error("expected a condition after HAVING")
        return depth

    def order_clause(self) -> int:  # [23], [24]
        if not self.word("ORDER"):
            return 0
        self.expect_word("BY")
        depth = 0
        count = 0
        while True:
            token = self.peek()
            if token.is_word("ASC", "DESC"):
                self.next()
                depth = max(depth, self.bracketted_expression())
            elif token.kind is TokenKind.VAR:
                self.next()
            elif self._starts_constraint(token):
                depth = max(depth, self.constraint())
            else:
                break
            count += 1
        if not count:
            raise self.error("expected an ordering condition after ORDER BY")
        return depth + 1

    def values_clause(self) -> int:  # [28]
        if self.word("VALUES"):
            self.data_block()
            return 1
        return 0

    # --- [52]–[74] graph patterns --------------------------------------------------------------------------
    def triples_template(self) -> int:  # [52], [74]: triple templates; depth = how many patterns
        count = 0
        while True:
            count += self.triples_same_subject(path=False)
            if not self.punct("."):
                break
            if self.peek().is_punct("}"):
                break
        return count

    def group_graph_pattern(self) -> int:  # [53]
        self.expect_punct("{")
        self.enter()
        depth = self.sub_select() if self.peek().is_word("SELECT") else self.group_graph_pattern_sub()
        self.expect_punct("}")
        self.leave()
        return depth

    def group_graph_pattern_sub(self) -> int:  # [54], [55]
        elements = 0
        deepest = 0
        while True:
            token = self.peek()
            if token.is_punct("}"):
                break
            if self._starts_not_triples(token):
                deepest = max(deepest, self.graph_pattern_not_triples())
                elements += 1
                self.punct(".")
                continue
            patterns, depth = self.triples_same_subject_path()
            elements += patterns
            deepest = max(deepest, depth)
            if not self.punct(".") and not (self.peek().is_punct("}") or self._starts_not_triples(self.peek())):
                raise self.error("expected '.', '}' or a graph pattern")
        return elements + deepest

    def _starts_not_triples(self, token: Token) -> bool:
        return token.is_punct("{") or token.is_word("OPTIONAL", "MINUS", "GRAPH", "SERVICE", "FILTER", "BIND",
                                                    "VALUES")

    def graph_pattern_not_triples(self) -> int:  # [56]–[68]
        if self.peek().is_punct("{"):  # [67] GroupOrUnionGraphPattern
            depth = self.group_graph_pattern()
            branches = 0
            while self.word("UNION"):
                depth = max(depth, self.group_graph_pattern())
                branches += 1
            return depth + branches
        token = self.next()
        if token.is_word("OPTIONAL", "MINUS"):  # [57], [66]
            return 1 + self.group_graph_pattern()
        if token.is_word("GRAPH"):  # [58]
            self.var_or_iri()
            return 1 + self.group_graph_pattern()
        if token.is_word("SERVICE"):  # [59]
            silent = self.word("SILENT")
            target = self.peek()
            line, column = position(self.lex.text, target.pos)
            span = (target.pos, target.pos + len(target.text))
            if target.kind is TokenKind.VAR:
                self.next()
                self.result.services.append(ServiceCall(None, str(target.value), silent, line, column, span))
            else:
                self.result.services.append(ServiceCall(self.iri(), None, silent, line, column, span))
            return 1 + self.group_graph_pattern()
        if token.is_word("FILTER"):  # [68]
            return 1 + self.constraint()
        if token.is_word("BIND"):  # [60]
            self.expect_punct("(")
            self.enter()
            depth = self.expression()
            self.expect_word("AS")
            self.var()
            self.expect_punct(")")
            self.leave()
            return 1 + depth
        if token.is_word("VALUES"):  # [61]
            self.data_block()
            return 1
        raise self.error("expected a graph pattern", token)

    def data_block(self) -> None:  # [62]–[65]
        token = self.peek()
        if token.kind is TokenKind.VAR:  # [63]
            self.next()
            self.expect_punct("{")
            while not self.punct("}"):
                self.data_block_value()
            return
        width = 0
        if token.kind is TokenKind.NIL:  # [64]
            self.next()
        else:
            self.expect_punct("(")
            while self.peek().kind is TokenKind.VAR:
                self.next()
                width += 1
            self.expect_punct(")")
        self.expect_punct("{")
        while not self.punct("}"):
            if self.peek().kind is TokenKind.NIL:
                row = self.next()
                if width:
                    raise self.error(f"expected a row of {width} values", row)
                continue
            self.expect_punct("(")
            values = 0
            while not self.punct(")"):
                self.data_block_value()
                values += 1
            if values != width:
                raise self.error(f"a VALUES row has {values} values for {width} variables")

    def data_block_value(self) -> None:  # [65]
        token = self.peek()
        if token.is_word("UNDEF", "TRUE", "FALSE"):
            self.next()
        elif token.kind in (TokenKind.IRIREF, TokenKind.PNAME_LN, TokenKind.PNAME_NS):
            self.iri()
        elif token.kind is TokenKind.STRING:
            self.rdf_literal()
        elif self._starts_number(token):
            self.numeric_literal()
        else:
            raise self.error("expected an IRI, a literal or UNDEF")

    def constraint(self) -> int:  # [69]
        token = self.peek()
        if token.is_punct("("):
            return self.bracketted_expression()
        if self._starts_call(token):
            return self.call()
        raise self.error("expected a bracketed expression or a function call")

    def _starts_constraint(self, token: Token) -> bool:
        return token.is_punct("(") or self._starts_call(token)

    def _starts_call(self, token: Token) -> bool:
        return (token.kind is TokenKind.WORD and token.text in _BUILTIN_WORDS) or token.kind in (
            TokenKind.IRIREF, TokenKind.PNAME_LN, TokenKind.PNAME_NS)

    def call(self) -> int:
        """A BuiltInCall [121] or a FunctionCall [70]."""
        if self.peek().kind is TokenKind.WORD:
            return self.builtin_call()
        self.iri()
        return 1 + self.arg_list()

    def arg_list(self) -> int:  # [71]
        if self.peek().kind is TokenKind.NIL:
            self.next()
            return 0
        self.expect_punct("(")
        self.enter()
        self.word("DISTINCT")
        depth = self.expression()
        while self.punct(","):
            depth = max(depth, self.expression())
        self.expect_punct(")")
        self.leave()
        return depth

    def expression_list(self) -> int:  # [72]
        if self.peek().kind is TokenKind.NIL:
            self.next()
            return 0
        self.expect_punct("(")
        self.enter()
        depth = self.expression()
        items = 1
        while self.punct(","):
            depth = max(depth, self.expression())
            items += 1
        self.expect_punct(")")
        self.leave()
        return depth + items

    def construct_template(self) -> int:  # [73]
        self.expect_punct("{")
        self.enter()
        depth = 0
        if not self.peek().is_punct("}"):
            depth = self.triples_template()
        self.expect_punct("}")
        self.leave()
        return depth

    # --- [75]–[109] triples --------------------------------------------------------------------------------
    def triples_same_subject(self, *, path: bool) -> int:  # [75]: returns the number of triple patterns
        patterns, _ = self._triples(path=path)
        return patterns

    def triples_same_subject_path(self) -> tuple[int, int]:  # [81]
        return self._triples(path=True)

    def _triples(self, *, path: bool) -> tuple[int, int]:
        """(triple patterns made, deepest path) of TriplesSameSubject[Path]."""
        token = self.peek()
        if not token.is_punct("(", "["):
            self.var_or_term()
            patterns, depth = self.property_list(path=path, required=True)
            return patterns, depth
        node_patterns, node_depth = self.triples_node(path=path)
        patterns, depth = self.property_list(path=path, required=False)
        return node_patterns + patterns, max(node_depth, depth)

    def property_list(self, *, path: bool, required: bool) -> tuple[int, int]:  # [76], [77], [82], [83]
        if not self._starts_verb(self.peek(), path=path):
            if required:
                raise self.error("expected a predicate")
            return 0, 0
        patterns = 0
        deepest = 0
        while True:
            deepest = max(deepest, self.verb(path=path))
            made, depth = self.object_list(path=path)
            patterns += made
            deepest = max(deepest, depth)
            if not self.punct(";"):
                break
            while self.punct(";"):
                pass
            if not self._starts_verb(self.peek(), path=path):
                break
        return patterns, deepest

    def _starts_verb(self, token: Token, *, path: bool) -> bool:
        if token.is_word("a") or token.kind in (TokenKind.VAR, TokenKind.IRIREF, TokenKind.PNAME_LN,
                                                TokenKind.PNAME_NS):
            return True
        return path and token.is_punct("^", "!", "(")

    def verb(self, *, path: bool) -> int:  # [78], [84], [85]
        token = self.peek()
        if token.kind is TokenKind.VAR:
            self.next()
            return 0
        if not path:
            if token.is_word("a"):
                self.next()
            else:
                self.iri()
            return 0
        return self.path_alternative()

    def object_list(self, *, path: bool) -> tuple[int, int]:  # [79], [86]
        patterns = 0
        deepest = 0
        while True:
            made, depth = self.graph_node(path=path)
            patterns += 1 + made
            deepest = max(deepest, depth)
            if not self.punct(","):
                return patterns, deepest

    def graph_node(self, *, path: bool) -> tuple[int, int]:  # [104], [105]
        token = self.peek()
        if token.kind is not TokenKind.ANON and token.is_punct("(", "["):
            return self.triples_node(path=path)
        self.var_or_term()
        return 0, 0

    def triples_node(self, *, path: bool) -> tuple[int, int]:  # [98]–[103]
        token = self.next()
        self.enter()
        if token.is_punct("["):
            patterns, depth = self.property_list(path=path, required=True)
            self.expect_punct("]")
        else:  # a collection: two triples (rdf:first, rdf:rest) per member
            patterns, depth = 0, 0
            while not self.punct(")"):
                made, member_depth = self.graph_node(path=path)
                patterns += 2 + made
                depth = max(depth, member_depth)
            if not patterns:
                raise self.error("a collection needs at least one member", token)
        self.leave()
        return patterns, depth

    # --- [88]–[96] property paths ----------------------------------------------------------------------------
    def path_alternative(self) -> int:  # [88], [89]
        depth = self.path_sequence()
        while self.punct("|"):
            depth = max(depth, self.path_sequence()) + 1
        return depth

    def path_sequence(self) -> int:  # [90]
        depth = self.path_elt_or_inverse()
        while self.punct("/"):
            depth = max(depth, self.path_elt_or_inverse()) + 1
        return depth

    def path_elt_or_inverse(self) -> int:  # [91]–[93]
        inverse = self.punct("^")
        depth = self.path_primary()
        if self.peek().is_punct("?", "*", "+"):
            self.next()
            depth += 1
        return depth + inverse

    def path_primary(self) -> int:  # [94]
        token = self.peek()
        if token.is_word("a"):
            self.next()
            return 1
        if token.is_punct("!"):
            self.next()
            return 1 + self.path_negated_property_set()
        if token.is_punct("("):
            self.next()
            self.enter()
            depth = self.path_alternative()
            self.expect_punct(")")
            self.leave()
            return depth
        self.iri()
        return 1

    def path_negated_property_set(self) -> int:  # [95], [96]
        token = self.peek()
        if token.kind is TokenKind.NIL:
            raise self.error("a negated property set needs at least one IRI", token)
        if not token.is_punct("("):
            self.path_one_in_property_set()
            return 1
        self.next()
        count = 1
        self.path_one_in_property_set()
        while self.punct("|"):
            self.path_one_in_property_set()
            count += 1
        self.expect_punct(")")
        return count

    def path_one_in_property_set(self) -> None:
        self.punct("^")
        if not self.word("a"):
            self.iri()

    # --- terms ---------------------------------------------------------------------------------------------
    def var(self) -> str:  # [108]
        token = self.next()
        if token.kind is not TokenKind.VAR:
            raise self.error("expected a variable", token)
        return str(token.value)

    def var_or_iri(self) -> None:  # [107]
        if self.peek().kind is TokenKind.VAR:
            self.next()
        else:
            self.iri()

    def var_or_term(self) -> None:  # [106], [109]
        token = self.peek()
        if token.kind is TokenKind.VAR:
            self.next()
        elif token.kind in (TokenKind.IRIREF, TokenKind.PNAME_LN, TokenKind.PNAME_NS):
            self.iri()
        elif token.kind is TokenKind.STRING:
            self.rdf_literal()
        elif self._starts_number(token):
            self.numeric_literal()
        elif token.is_word("TRUE", "FALSE") or token.kind in (TokenKind.BLANK_NODE_LABEL, TokenKind.ANON,
                                                              TokenKind.NIL):
            self.next()
        else:
            raise self.error("expected a variable, an IRI, a literal or a blank node")

    def iri(self) -> str:  # [136], [137]
        token = self.next()
        if token.kind is TokenKind.IRIREF:
            return str(token.value)
        if token.kind in (TokenKind.PNAME_LN, TokenKind.PNAME_NS):
            prefix, local = typing.cast(tuple[str, str], token.value)
            if prefix.upper() == "SERVICE":
                # Oxigraph reads 'SERVICE:x {' as the SERVICE keyword and the IRI ':x': refuse the prefix outright.
                raise self.error("'SERVICE' may not be used as a prefix", token)
            namespace = self.result.prefixes.get(prefix)
            if namespace is None:
                raise self.lex.error(f"the prefix {prefix + ':'!r} is not declared", token.pos)
            return namespace + local
        raise self.error("expected an IRI", token)

    def rdf_literal(self) -> None:  # [129]
        self.next()
        if self.peek().kind is TokenKind.LANGTAG:
            self.next()
        elif self.punct("^^"):
            self.iri()

    def _starts_number(self, token: Token) -> bool:
        return token.kind in (TokenKind.INTEGER, TokenKind.DECIMAL, TokenKind.DOUBLE) or token.is_punct("+", "-")

    def numeric_literal(self) -> None:  # [130]–[133]
        if self.punct("+", "-"):
            pass
        if self.next().kind not in (TokenKind.INTEGER, TokenKind.DECIMAL, TokenKind.DOUBLE):
            raise self.error("expected a number")

    # --- [110]–[128] expressions -----------------------------------------------------------------------------
    def expression(self) -> int:  # [110]
        return self.binary(0)

    def binary(self, level: int) -> int:
        """ConditionalOr [111] > ConditionalAnd [112] > Relational [114] > Additive [116] > Multiplicative [117]."""
        if level == 5:
            return self.unary()
        depth = self.binary(level + 1)
        while True:
            token = self.peek()
            if level == 2 and token.kind is TokenKind.IRIREF:
                token = self.lex.reread_as_operator()  # '?a<3&&?b>2': '<' is an operator here
            if level == 0 and token.is_punct("||") or level == 1 and token.is_punct("&&"):
                self.next()
            elif level == 2 and (token.kind is TokenKind.PUNCT and token.text in _RELATIONAL):
                self.next()
                return max(depth, self.binary(3)) + 1  # relational expressions do not chain
            elif level == 2 and token.is_word("IN", "NOT"):
                self.next()
                if token.text == "NOT":
                    self.expect_word("IN")
                return max(depth, self.expression_list()) + 1
            elif level == 3 and token.is_punct("+", "-") or level == 4 and token.is_punct("*", "/"):
                self.next()
            else:
                return depth
            depth = max(depth, self.binary(level + 1)) + 1

    def unary(self) -> int:  # [118]
        if self.peek().is_punct("!", "+", "-"):
            self.next()
            return 1 + self.primary()
        return self.primary()

    def primary(self) -> int:  # [119]
        token = self.peek()
        if token.is_punct("("):
            return self.bracketted_expression()
        if token.kind is TokenKind.WORD and token.text in _BUILTIN_WORDS:
            return self.builtin_call()
        if token.kind in (TokenKind.IRIREF, TokenKind.PNAME_LN, TokenKind.PNAME_NS):  # [128] iriOrFunction
            self.iri()
            if self.peek().kind is TokenKind.NIL or self.peek().is_punct("("):
                return 1 + self.arg_list()
            return 0
        if token.kind is TokenKind.STRING:
            self.rdf_literal()
            return 0
        if token.kind in (TokenKind.INTEGER, TokenKind.DECIMAL, TokenKind.DOUBLE):
            self.next()
            return 0
        if token.is_word("TRUE", "FALSE") or token.kind is TokenKind.VAR:
            self.next()
            return 0
        raise self.error("expected an expression")

    def bracketted_expression(self) -> int:  # [120]
        self.expect_punct("(")
        self.enter()
        depth = self.expression()
        self.expect_punct(")")
        self.leave()
        return depth

    def builtin_call(self) -> int:  # [121]–[127]
        token = self.next()
        name = token.text
        if name == "NOT":
            self.expect_word("EXISTS")
            name = "EXISTS"
        if name == "EXISTS":  # [125], [126]
            return 1 + self.group_graph_pattern()
        if name in _BUILTINS_NIL:
            if self.next().kind is not TokenKind.NIL:
                raise self.error(f"{name} takes no arguments: expected '()'")
            return 1
        if name in _BUILTINS_LIST:
            return 1 + self.expression_list()
        if name == "BNODE" and self.peek().kind is TokenKind.NIL:
            self.next()
            return 1
        self.expect_punct("(")
        self.enter()
        if name == "BOUND":
            self.var()
            depth = 0
        elif name in _AGGREGATES:  # [127]
            self.word("DISTINCT")
            depth = 0 if name == "COUNT" and self.punct("*") else self.expression()
            if name == "GROUP_CONCAT" and self.punct(";"):
                self.expect_word("SEPARATOR")
                self.expect_punct("=")
                if self.next().kind is not TokenKind.STRING:
                    raise self.error("expected a string after SEPARATOR =")
        else:
            low, high = (1, 1) if name in _BUILTINS_1 or name == "BNODE" else (
                (2, 2) if name in _BUILTINS_2 else _BUILTINS_VAR_ARITY[name])
            depth = self.expression()
            count = 1
            while self.punct(","):
                depth = max(depth, self.expression())
                count += 1
            if not low <= count <= high:
                arity = str(low) if low == high else f"{low} or {high}"
                raise self.lex.error(f"{name} takes {arity} argument(s), got {count}", token.pos)
        self.expect_punct(")")
        self.leave()
        return depth + 1


def parse_query(text: str, limits: Limits | None = None) -> ParseResult:
    """Recognize a SPARQL 1.1 query. Raises :class:`SparqlSyntaxError` (with line and column),
    :class:`UpdateRequest` or :class:`QueryTooComplex`."""
    parser = _Parser(text, limits or Limits())
    try:
        return parser.query()
    except RecursionError:
        raise QueryTooComplex("the query nests too deeply to analyse; flatten it") from None
