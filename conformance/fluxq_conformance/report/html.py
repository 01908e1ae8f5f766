"""The HTML report: one self-contained page, summary and failures at the top, every value escaped.

Order: verdict and counts (each a link), a search box, the failed rules (open, not collapsed), the
warnings, row counts per section, skip reasons, then every row grouped by section and model, notes
and settings. Every finding and row has an anchor; failed rows link to their rule. The page reads on
a phone width (no horizontal scrolling; tables fold into blocks) and works without a network.
"""

from __future__ import annotations

import html
import json

from fluxq_conformance.core.results import Outcome, Reproduction, Row, RunReport
from fluxq_conformance.report.findings import Finding, findings, sections, skip_reasons, verdict

_CSS = """
*{box-sizing:border-box}
body{font-family:system-ui,sans-serif;margin:0 auto;padding:1em;max-width:72em;color:#222;line-height:1.4}
h1{font-size:1.4em;margin:.2em 0;overflow-wrap:anywhere}h2{margin-top:1.4em}
a{color:#1d4ed8}.passed{color:#17803d}.failed{color:#b91c1c;font-weight:bold}
.warning{color:#b45309}.skipped{color:#666}
.verdict{font-size:1.15em;font-weight:bold}
nav.counts a{display:inline-block;margin:.2em .8em .2em 0;text-decoration:none;font-size:1.05em}
nav.counts a.failed,nav.counts a.warning{text-decoration:underline}
#search{width:100%;max-width:30em;font-size:1em;padding:.4em;margin:.4em 0}
.finding{border:1px solid #ddd;border-left:6px solid #b91c1c;border-radius:4px;padding:.6em .9em;margin:1em 0}
.finding.is-warning{border-left-color:#b45309}
.finding h3{margin:.1em 0 .4em;overflow-wrap:anywhere}.finding h4{margin:.7em 0 .2em}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.15em .8em;margin:.4em 0}
dl.facts dt{font-weight:bold}dl.facts dd{margin:0;overflow-wrap:anywhere}
pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f6f6f6;padding:.6em;margin:.2em 0;font-size:.85em}
table{border-collapse:collapse;width:100%;font-size:.9em}
th,td{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top;overflow-wrap:anywhere}
th{background:#f4f4f4}tr.model th{background:#eef2ff}
:target{outline:3px solid #f59e0b;scroll-margin-top:.5em}
.hidden{display:none!important}
@media (max-width:640px){
 body{padding:.6em}
 table.rows thead{display:none}
 table.rows tr{display:block;border-bottom:1px solid #ddd;padding:.3em 0}
 table.rows td,table.rows th{display:block;border:0;padding:1px 4px}
}
"""

_SCRIPT = """
const box=document.getElementById('search');
box.addEventListener('input',()=>{
  const q=box.value.trim().toLowerCase();let shown=0;
  document.querySelectorAll('[data-search]').forEach(el=>{
    const hit=!q||el.textContent.toLowerCase().includes(q);
    el.classList.toggle('hidden',!hit);if(hit&&q)shown++;});
  document.getElementById('matches').textContent=q?shown+' match'+(shown===1?'':'es'):'';
});
"""

esc = html.escape


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _evidence(repro: Reproduction) -> str:
    request = f"{repro.method} {repro.url}" + (f"\n\n{repro.request_body}" if repro.request_body else "")
    status = "no response" if repro.status_code is None else str(repro.status_code)
    media = repro.response_headers.get("content-type", "")
    response = f"{status} {media}".strip() + (f"\n\n{repro.response_body}" if repro.response_body else "")
    return (
        f"<h4>Request</h4><pre>{esc(request)}</pre><h4>Response</h4><pre>{esc(response)}</pre>"
        "<h4>Reproduce (bash; export FLUXQ_API_KEY first)</h4>"
        f"<pre class='script'>{esc(repro.script or repro.curl)}</pre>"
    )


def _finding(finding: Finding) -> str:
    kind = finding.outcome.value
    rows = ", ".join(
        f"<a href='#{esc(row.anchor)}'>{esc(row.operation or row.model or row.check_id)}</a>"
        for row in finding.rows
    )
    seen = "".join(
        f"<li><b>{esc(place)}</b>: <pre>{esc(message)}</pre></li>" for place, message in finding.messages
    )
    evidence = next((row.worst.reproduction for row in finding.rows if row.worst.reproduction), None)
    return (
        f"<article class='finding is-{kind}' id='{esc(finding.anchor)}' data-search>"
        f"<h3><a href='#{esc(finding.anchor)}'>{esc(finding.check_id)}</a> "
        f"<span class='{kind}'>{kind} on {_plural(len(finding.rows), 'row')}</span></h3>"
        f"<p class='rule'>{esc(finding.description)}</p><dl class='facts'>"
        f"<dt>basis</dt><dd>{esc(finding.basis)}</dd>"
        f"<dt>spec</dt><dd>{esc(finding.spec_location)}</dd>"
        f"<dt>models</dt><dd>{esc(', '.join(finding.models) or 'the whole run')}</dd>"
        f"<dt>rows</dt><dd>{rows}</dd></dl><h4>Seen</h4><ul class='seen'>{seen}</ul>"
        f"{_evidence(evidence) if evidence else ''}</article>"
    )


def _findings_section(report: RunReport, outcome: Outcome, anchor: str, title: str) -> str:
    found = findings(report, outcome)
    body = "".join(_finding(finding) for finding in found) or "<p>none</p>"
    return f"<section id='{anchor}'><h2>{title}: {_plural(len(found), 'rule')}</h2>{body}</section>"


def _row(row: Row) -> str:
    outcome = row.outcome.value
    cell = esc(outcome)
    if row.outcome in (Outcome.FAILED, Outcome.WARNING):
        cell = f"<a href='#rule-{esc(row.check_id.replace('.', '_'))}'>{cell}</a>"
    return (
        f"<tr id='{esc(row.anchor)}' data-search><td>{esc(row.check_id)}</td>"
        f"<td>{esc(row.operation or '—')}</td><td class='{outcome}'>{cell}</td>"
        f"<td>{esc(row.worst.message)}</td></tr>"
    )


def _table(report: RunReport) -> str:
    parts = ["<section id='table'><h2>Every row, by section and model</h2>"]
    rows = report.rows()
    for section in sections(report):
        parts.append(
            f"<h3 id='section-{esc(section.section)}'>{esc(section.section)} "
            f"({_plural(section.total, 'row')})</h3><table class='rows'><thead><tr><th>check</th>"
            "<th>operation</th><th>outcome</th><th>message</th></tr></thead>"
        )
        in_section = [row for row in rows if row.section == section.section]
        for model in sorted({row.model or "" for row in in_section}):
            parts.append(
                f"<tbody><tr class='model'><th colspan='4'>{esc(model or 'not model-specific')}</th></tr>"
            )
            parts += [_row(row) for row in in_section if (row.model or "") == model]
            parts.append("</tbody>")
        parts.append("</table>")
    parts.append("</section>")
    return "".join(parts)


def _summary(report: RunReport) -> str:
    names = ("passed", "warning", "failed", "skipped")
    head = "".join(f"<th>{name}</th>" for name in names)
    body = "".join(
        f"<tr><td><a href='#section-{esc(item.section)}'>{esc(item.section)}</a></td>"
        + "".join(f"<td class='{name}'>{item.counts[name]}</td>" for name in names)
        + f"<td>{item.total}</td></tr>"
        for item in sections(report)
    )
    reasons = "".join(
        f"<li>{_plural(count, 'row')}: {esc(reason)} <small>({esc(', '.join(ids))})</small></li>"
        for reason, count, ids in skip_reasons(report)
    )
    return (
        "<section id='summary'><h2>Summary per section (rows)</h2>"
        f"<table><thead><tr><th>section</th>{head}<th>rows</th></tr></thead>{body}</table></section>"
        f"<section id='skipped'><h2>Skipped, and why</h2><ul>{reasons or '<li>nothing skipped</li>'}</ul>"
        "</section>"
    )


def _counts(report: RunReport) -> str:
    totals = report.totals()
    targets = {"failed": "failures", "warning": "warnings", "passed": "table", "skipped": "skipped"}
    return "".join(
        f"<a class='{name}' href='#{targets[name]}'>{totals[name]} {name}</a>"
        for name in ("failed", "warning", "passed", "skipped")
    )


def render_html(report: RunReport) -> str:
    """Return the self-contained HTML page (every value escaped)."""
    state = "failed" if report.failed else "passed"
    notes = "".join(f"<li>{esc(note)}</li>" for note in report.notes) or "<li>none</li>"
    settings = esc(json.dumps(report.settings, indent=2))
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>fluxq conformance — {esc(report.target)}</title><style>{_CSS}</style></head><body>"
        f"<header id='top'><h1>fluxq conformance — {esc(report.target)}</h1>"
        f"<p class='verdict {state}'>{esc(verdict(report))} in {report.duration_seconds:.1f} s</p>"
        f"<nav class='counts' aria-label='counts (rows)'>{_counts(report)}</nav>"
        "<input id='search' type='search' placeholder='Search checks, models, operations, messages' "
        "aria-label='search'> <span id='matches'></span></header><main>"
        f"{_findings_section(report, Outcome.FAILED, 'failures', 'Failures')}"
        f"{_findings_section(report, Outcome.WARNING, 'warnings', 'Warnings')}"
        f"{_summary(report)}{_table(report)}"
        f"<section id='notes'><h2>Notes</h2><ul>{notes}</ul></section>"
        f"<section id='settings'><h2>Settings</h2><pre>{settings}</pre></section>"
        f"</main><script>{_SCRIPT}</script></body></html>\n"
    )
