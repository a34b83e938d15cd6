"""Views: turning what the services give into bytes of a media type (RDF serialisations, the timeline SVG),
and the one rule for which IRIs may become links."""
