"""The terminals of SPARQL 1.1 Query (§19.8, productions [139]–[173]) as a lexer.

Tokens are made on demand (the parser asks for the next one), so that the one context-sensitive spot of
the grammar — ``<`` as the start of an IRI or as an operator (``?a<3&&?b>2``) — can be re-read by the
parser in operator position. Longest match otherwise, as the specification says (§19.8, "tokens are
matched longest first"): ``SERVICE:q`` is the prefixed name ``SERVICE:q``, never a keyword.

Codepoint escapes (``\\uXXXX``, ``\\UXXXXXXXX``, §19.2) are decoded inside IRI references and string
literals, exactly where the serving engine (Oxigraph) decodes them; elsewhere a backslash is an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

__all__ = ["Lexer", "SparqlSyntaxError", "Token", "TokenKind", "position", "tokens"]


class SparqlSyntaxError(ValueError):
    """The text is not SPARQL 1.1 as the grammar of §19.8 defines it; ``line``/``column`` are 1-based."""

    def __init__(self, message: str, line: int, column: int) -> None:
        self.message = message
        self.line = line
        self.column = column
        super().__init__(f"{line}:{column}: {message}")


class TokenKind(Enum):
    IRIREF = "IRI"
    PNAME_LN = "prefixed name"
    PNAME_NS = "prefix"
    BLANK_NODE_LABEL = "blank node label"
    VAR = "variable"
    LANGTAG = "language tag"
    DOUBLE = "double"
    DECIMAL = "decimal"
    INTEGER = "integer"
    STRING = "string"
    NIL = "()"
    ANON = "[]"
    WORD = "keyword"
    PUNCT = "punctuation"
    EOF = "end of query"


@dataclass(frozen=True, slots=True)
class Token:
    kind: TokenKind
    #: The token as written (for keywords: upper-cased, except ``a``).
    text: str
    #: Offset in the query text.
    pos: int
    #: The decoded value: an IRI, a string's content, a prefixed name's (prefix, local) or a variable name.
    value: object = None

    def is_word(self, *words: str) -> bool:
        return self.kind is TokenKind.WORD and self.text in words

    def is_punct(self, *marks: str) -> bool:
        return self.kind is TokenKind.PUNCT and self.text in marks


# --- character classes (§19.8 [164]–[173]) ------------------------------------------------------------
_PN_CHARS_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_PN_CHARS_U = _PN_CHARS_BASE + "_"
_PN_CHARS = _PN_CHARS_U + r"\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_VARNAME = f"[{_PN_CHARS_U}0-9][{_PN_CHARS_U}0-9\u00b7\u0300-\u036f\u203f-\u2040]*"
_PN_PREFIX = f"[{_PN_CHARS_BASE}](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_PN_LOCAL = f"(?:[{_PN_CHARS_U}:0-9]|{_PLX})(?:(?:[{_PN_CHARS}.:]|{_PLX})*(?:[{_PN_CHARS}:]|{_PLX}))?"
_UCHAR = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"
_ECHAR = r"\\[tbnrf\\\"']"
_EXPONENT = r"[eE][+-]?[0-9]+"
_WS = "[ \t\r\n]"

_TOKENS = re.compile(
    "|".join(
        (
            rf"(?P<IRIREF><(?:[^<>\"{{}}|^`\\\x00-\x20]|{_UCHAR})*>)",
            r'(?P<STRING_LONG2>"""(?:(?:"|"")?(?:[^"\\]|' + _ECHAR + "|" + _UCHAR + r'))*""")',
            r"(?P<STRING_LONG1>'''(?:(?:'|'')?(?:[^'\\]|" + _ECHAR + "|" + _UCHAR + r"))*''')",
            r'(?P<STRING2>"(?:[^"\\\n\r]|' + _ECHAR + "|" + _UCHAR + r')*")',
            r"(?P<STRING1>'(?:[^'\\\n\r]|" + _ECHAR + "|" + _UCHAR + r")*')",
            rf"(?P<VAR>[?$]{_VARNAME})",
            rf"(?P<BLANK_NODE_LABEL>_:[{_PN_CHARS_U}0-9](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?)",
            rf"(?P<PNAME>(?:{_PN_PREFIX})?:(?:{_PN_LOCAL})?)",
            rf"(?P<DOUBLE>[0-9]+\.[0-9]*{_EXPONENT}|\.[0-9]+{_EXPONENT}|[0-9]+{_EXPONENT})",
            r"(?P<DECIMAL>[0-9]*\.[0-9]+)",
            r"(?P<INTEGER>[0-9]+)",
            r"(?P<LANGTAG>@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*)",
            r"(?P<WORD>[A-Za-z][A-Za-z0-9_]*)",
            rf"(?P<NIL>\({_WS}*\))",
            rf"(?P<ANON>\[{_WS}*\])",
            r"(?P<PUNCT>\^\^|\|\||&&|!=|<=|>=|[{}()\[\];,.=<>!+\-*/|^?])",
        )
    )
)
_SKIP = re.compile(r"(?:[ \t\r\n]+|#[^\r\n]*)+")
_ESCAPES = re.compile(_UCHAR + "|" + _ECHAR)
_ECHARS = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", "\\": "\\", '"': '"', "'": "'"}
_IRI_FORBIDDEN = re.compile(r'[<>"{}|^`\\\x00-\x20]')
_LOCAL_ESCAPE = re.compile(r"\\(.)")


def position(text: str, offset: int) -> tuple[int, int]:
    """1-based (line, column) of ``offset`` in ``text``."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _unescape(body: str, *, text: str, pos: int) -> str:
    def one(match: re.Match[str]) -> str:
        escape = match.group()
        if escape[1] in "uU":
            code = int(escape[2:], 16)
            if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
                raise SparqlSyntaxError(f"invalid code point escape {escape}", *position(text, pos))
            return chr(code)
        return _ECHARS[escape[1]]

    return _ESCAPES.sub(one, body)


class Lexer:
    """Tokens of one query text, read left to right on demand."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._pos = 0
        self._peeked: Token | None = None

    def error(self, message: str, pos: int | None = None) -> SparqlSyntaxError:
        return SparqlSyntaxError(message, *position(self.text, self._pos if pos is None else pos))

    def peek(self) -> Token:
        if self._peeked is None:
            self._peeked = self._read()
        return self._peeked

    def next(self) -> Token:
        token = self.peek()
        self._peeked = None
        if token.kind is not TokenKind.EOF:
            self._pos = token.pos + len(token.text)  # keywords are ASCII: upper-casing keeps their length
        return token

    def reread_as_operator(self) -> Token:
        """Read the peeked token again as a comparison operator (``<`` / ``<=``), not as an IRI reference."""
        token = self.peek()
        if token.kind is TokenKind.IRIREF:
            operator = "<=" if self.text.startswith("<=", token.pos) else "<"
            self._peeked = Token(TokenKind.PUNCT, operator, token.pos)
        return self.peek()

    def _read(self) -> Token:
        text = self.text
        skip = _SKIP.match(text, self._pos)
        pos = skip.end() if skip else self._pos
        self._pos = pos
        if pos >= len(text):
            return Token(TokenKind.EOF, "", pos)
        match = _TOKENS.match(text, pos)
        if match is None:
            raise self.error(f"unexpected character {text[pos]!r}")
        kind = match.lastgroup
        lexeme = match.group()
        if kind == "IRIREF":
            iri = _unescape(lexeme[1:-1], text=text, pos=pos)
            if _IRI_FORBIDDEN.search(iri):
                raise self.error("an IRI reference may not contain spaces, control characters or <>\"{}|^`\\", pos)
            return Token(TokenKind.IRIREF, lexeme, pos, iri)
        if kind and kind.startswith("STRING"):
            quote = 3 if "LONG" in kind else 1
            return Token(TokenKind.STRING, lexeme, pos, _unescape(lexeme[quote:-quote], text=text, pos=pos))
        if kind == "PNAME":
            prefix, _, local = lexeme.partition(":")
            if local:
                return Token(TokenKind.PNAME_LN, lexeme, pos, (prefix, _LOCAL_ESCAPE.sub(r"\1", local)))
            return Token(TokenKind.PNAME_NS, lexeme, pos, (prefix, ""))
        if kind == "VAR":
            return Token(TokenKind.VAR, lexeme, pos, lexeme[1:])
        if kind == "WORD":
            # keywords are case-insensitive except 'a' (§19.5); the value keeps the written length
            return Token(TokenKind.WORD, lexeme if lexeme == "a" else lexeme.upper(), pos, lexeme)
        if kind == "NIL":
            return Token(TokenKind.NIL, lexeme, pos)
        if kind == "ANON":
            return Token(TokenKind.ANON, lexeme, pos)
        return Token(TokenKind[kind or "PUNCT"], lexeme, pos, lexeme)


def tokens(text: str) -> list[Token]:
    """Every token of ``text`` up to the end (an ``<`` is always read as the start of an IRI or as ``<``).

    >>> [t.text for t in tokens("SELECT * { ?s ?p ?o }")]
    ['SELECT', '*', '{', '?s', '?p', '?o', '}']
    """
    lexer = Lexer(text)
    out = []
    while (token := lexer.next()).kind is not TokenKind.EOF:
        out.append(token)
    return out
