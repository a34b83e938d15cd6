"""The membership timeline picture: a server-rendered SVG, states as rows, memberships as bars coloured by
status, events as marks (data: :mod:`..services.timeline`). Every text is escaped and every link passes
:func:`.links.link_target`."""

from __future__ import annotations

import datetime as dt
from xml.sax.saxutils import escape, quoteattr

from ...namespaces import curie
from ..services.timeline import TimelineData
from .links import link_target

__all__ = ["render_svg"]

_COLOURS = {"full": "#2f6f9f", "suspended": "#d08c1b", "frozen": "#8a8fb0", "observer": "#9ec1a3"}
_MARK_COLOURS = {"accession": "#1b7f3b", "signing": "#7cb342", "withdrawal": "#b3261e", "suspension": "#d08c1b",
                 "freeze": "#5c6396", "request": "#6a1b9a", "response": "#00838f"}


# --- drawing -----------------------------------------------------------------------------------------
_LEFT, _RIGHT, _TOP, _LANE_H, _ROW_GAP, _AXIS_H, _LEGEND_H = 190, 30, 40, 16, 10, 30, 78


def _year_ticks(first: int, last: int) -> list[int]:
    span = last - first
    step = 1 if span <= 12 else 2 if span <= 24 else 5
    return [y for y in range(first, last + 1) if y % step == 0]


def _linked(iri: str, base: str, inner: str) -> str:
    """``inner`` wrapped in a link to ``iri`` — only if it may be a link (see :func:`.render.link_target`)."""
    href, _ = link_target(iri, base)
    if href is None:
        return inner
    return f"<a xlink:href={quoteattr(href)} href={quoteattr(href)}>{inner}</a>"


def render_svg(data: TimelineData, *, base: str, width: int = 1100, title: str = "") -> str:
    """The timeline as a standalone SVG document (escaped text, links to the resource pages)."""
    dates = [b.start for r in data.rows for b in r.bars] + [m.date for r in data.rows for m in r.marks]
    # From the first year drawn to 1 January after the last day drawn (today, or a later date), within the
    # calendar Python holds (any day a client names as 'today' draws).
    first_year = max(dt.MINYEAR, min([d.year for d in dates] + [data.today.year - 1]))
    last = max([*dates, data.today])
    last_year = min(last.year + 1, dt.MAXYEAR)
    x0 = dt.date(first_year, 1, 1)
    x1 = dt.date(last_year, 1, 1) if last.year < dt.MAXYEAR else dt.date.max
    plot_w = width - _LEFT - _RIGHT
    total_days = (x1 - x0).days

    def x(d: dt.date) -> float:
        return round(_LEFT + plot_w * (d - x0).days / total_days, 1)

    lanes = [iri for iri, _, _ in data.lanes]
    row_h = _LANE_H * len(lanes) + _ROW_GAP
    top = _TOP if title else 6
    plot_top = top + _AXIS_H
    height = plot_top + row_h * max(len(data.rows), 1) + _LEGEND_H
    out: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" class="timeline" '
        f'data-from="{x0.isoformat()}" data-to="{x1.isoformat()}" role="img" '
        f'font-family="system-ui, sans-serif" font-size="12">',
        f"<title>{escape(title or 'Membership timeline')}</title>",
        '<rect x="0" y="0" width="100%" height="100%" fill="#ffffff"/>',
    ]
    if title:
        out.append(f'<text x="{_LEFT}" y="22" font-size="15" font-weight="600" fill="#222">{escape(title)}</text>')
    # Year grid and axis labels.
    out.append('<g class="axis" fill="#555">')
    for year in _year_ticks(first_year, last_year):
        xx = x(dt.date(year, 1, 1))
        out.append(f'<line x1="{xx}" y1="{plot_top - 6}" x2="{xx}" y2="{height - _LEGEND_H}" stroke="#e3e3e3"/>')
        out.append(f'<text x="{xx}" y="{plot_top - 10}" text-anchor="middle">{year}</text>')
    out.append("</g>")
    today_x = x(data.today)
    out.append(f'<line class="today" x1="{today_x}" y1="{plot_top - 6}" x2="{today_x}" '
               f'y2="{height - _LEGEND_H}" stroke="#999" stroke-dasharray="3 3"><title>today</title></line>')
    for i, row in enumerate(data.rows):
        y0 = plot_top + i * row_h
        out.append(f'<g class="row" data-state={quoteattr(row.state)} data-label={quoteattr(row.label)}>')
        if i % 2 == 0:
            out.append(f'<rect x="0" y="{y0 - _ROW_GAP / 2}" width="{width}" height="{row_h}" fill="#f6f8fa"/>')
        out.append(_linked(row.state, base,
                           f'<text class="row-label" x="{_LEFT - (52 if len(lanes) > 1 else 8)}" y="{y0 + row_h / 2}" '
                           'text-anchor="end" '
                           f'dominant-baseline="middle" fill="#1a4d7a">{escape(row.label)}</text>'))
        if len(lanes) > 1:
            for n, (_, _, short) in enumerate(data.lanes):
                out.append(f'<text class="lane-label" x="{_LEFT - 6}" y="{y0 + n * _LANE_H + _LANE_H / 2}" '
                           f'text-anchor="end" dominant-baseline="middle" font-size="9" fill="#777">'
                           f"{escape(short)}</text>")
        for bar in row.bars:
            lane = lanes.index(bar.lane) if bar.lane in lanes else 0
            by = y0 + lane * _LANE_H
            bx0, bx1 = x(bar.start), x(bar.end or data.today)
            colour = _COLOURS.get(bar.status, _COLOURS["full"])
            end_s = bar.end.isoformat() if bar.end else ""
            tip = (f"{row.label}: {curie(bar.lane)} {bar.status}, {bar.start.isoformat()} – "
                   f"{end_s or 'present'}")
            opacity = "" if bar.end else ' fill-opacity="0.85"'
            out.append(_linked(
                bar.membership, base,
                f'<rect class="bar status-{bar.status}" data-membership={quoteattr(bar.membership)} '
                f'data-of={quoteattr(bar.lane)} data-start="{bar.start.isoformat()}" data-end="{end_s}" '
                f'data-status="{bar.status}" x="{bx0}" y="{by + 2}" width="{max(bx1 - bx0, 2):.1f}" '
                f'height="{_LANE_H - 4}" rx="3" fill="{colour}"'
                f'{opacity}><title>{escape(tip)}</title></rect>'
            ))
            if bar.end is None:  # open end: an arrow head
                ay = by + _LANE_H / 2
                out.append(f'<path d="M{bx1} {ay - 5} L{bx1 + 7} {ay} L{bx1} {ay + 5} Z" fill="{colour}"/>')
        for mark in row.marks:
            mx = x(mark.date)
            my = y0 + (row_h - _ROW_GAP) / 2
            colour = _MARK_COLOURS.get(mark.kind, "#333")
            out.append(_linked(
                mark.event, base,
                f'<path class="event event-{mark.kind}" data-event={quoteattr(mark.event)} '
                f'data-date="{mark.date.isoformat()}" d="M{mx} {my - 6} L{mx + 5} {my} L{mx} {my + 6} '
                f'L{mx - 5} {my} Z" fill="{colour}" stroke="#fff" stroke-width="1">'
                f"<title>{escape(mark.date.isoformat() + ': ' + mark.label)}</title></path>"
            ))
        out.append("</g>")
    # Legend: lanes, statuses (bars), event kinds (diamonds), one line each.
    ly = height - _LEGEND_H + 16
    out.append(f'<g class="legend" transform="translate({_LEFT},{ly})">')
    if len(lanes) > 1:
        lane_names = " · ".join(f"{short} = {label}" for _, label, short in data.lanes)
        out.append(f'<text x="0" y="0" fill="#333">lanes, top to bottom: {escape(lane_names)}</text>')
    lx = 0
    for status, colour in _COLOURS.items():
        out.append(f'<rect x="{lx}" y="12" width="14" height="10" rx="2" fill="{colour}"/>'
                   f'<text x="{lx + 18}" y="21" fill="#333">{status}</text>')
        lx += 100
    lx = 0
    for kind, colour in _MARK_COLOURS.items():
        out.append(f'<path d="M{lx + 6} 30 L{lx + 11} 36 L{lx + 6} 42 L{lx + 1} 36 Z" fill="{colour}"/>'
                   f'<text x="{lx + 16}" y="40" fill="#333">{kind}</text>')
        lx += 90
    out.append("</g></svg>")
    return "\n".join(out)
