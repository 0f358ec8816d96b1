"""The style sheet of the HTML report, inlined so the file needs nothing else.

Each status has a colour, but every cell also shows a symbol and a word; printing
keeps the colours and leaves out the links.
"""

from __future__ import annotations

from selfbuild_rules.engine.results import Status

#: Each status's text colour and background (RGB hex), in every report that has colour.
STATUS_COLOURS = {
    Status.COMPLIANT: ("1e6b34", "e3f3e7"),
    Status.NON_COMPLIANT: ("a4161a", "fde4e4"),
    Status.PENDING: ("7a4f00", "fff1cc"),
    Status.UNDETERMINED: ("6b2c91", "f1e6fb"),
    Status.REQUIRES_JUDGMENT: ("1f4e8c", "e4eefb"),
    Status.NOT_APPLICABLE: ("5f6368", "f1f3f4"),
}

_BASE = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1200px; padding: 24px 28px 48px;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "Noto Sans CJK SC", "PingFang SC",
  "Microsoft YaHei", "WenQuanYi Zen Hei", sans-serif; color: #1f2328; background: #fff; }
h1 { font-size: 1.6em; margin: 0 0 4px; }
h2 { font-size: 1.2em; margin: 32px 0 10px; padding-bottom: 4px; border-bottom: 1px solid #d0d7de; }
h3 { font-size: 1.05em; margin: 22px 0 8px; }
.meta { color: #57606a; margin: 0; }
.law { font-size: .95em; color: #57606a; margin: 2px 0 0; }
.note { color: #57606a; font-size: .9em; }
code { font: .9em/1.3 ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; }
.counts { display: flex; flex-wrap: wrap; gap: 10px; list-style: none; padding: 0; margin: 0; }
.counts li { border: 1px solid; border-radius: 8px; padding: 8px 14px; min-width: 130px; }
.counts b { display: block; font-size: 1.6em; line-height: 1.2; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; }
.matrix th, .matrix td { border: 1px solid #d0d7de; padding: 4px 8px; vertical-align: middle; }
.matrix thead th { background: #f6f8fa; font-weight: 600; text-align: center; font-size: .9em; }
.matrix thead th small { display: block; font-weight: 400; color: #57606a; }
.matrix tbody th { text-align: left; font-weight: 400; min-width: 200px; max-width: 300px; }
.matrix tbody th code.id, summary code.id, ul.attention code.id { color: #57606a;
  font-size: .8em; }
.matrix thead th small.tenure { font-size: .8em; color: #7a4f00; }
.matrix td.cell { text-align: center; white-space: nowrap; font-size: .85em; padding: 4px 6px; }
.matrix td.cell a { color: inherit; text-decoration: none; display: block; }
.matrix td.cell a:hover, .matrix td.cell a:focus { text-decoration: underline; }
.matrix td.why { font-size: .9em; }
.matrix td.empty { background: #fafbfc; }
.principle th { background: #f6f8fa; text-align: left; font-weight: 600; font-size: .9em; }
.sym { font-weight: 700; }
.bars { display: grid; grid-template-columns: max-content 1fr max-content; gap: 6px 12px;
  align-items: center; max-width: 900px; }
.track { position: relative; height: 18px; background: #f1f3f4; border-radius: 4px; }
.fill { position: absolute; left: 0; top: 0; bottom: 0; border-radius: 4px; border: 1px solid; }
.need { position: absolute; top: -4px; bottom: -4px; width: 0; border-left: 2px dashed #1f2328; }
.num { font-variant-numeric: tabular-nums; white-space: nowrap; font-size: .9em; }
details.result { border: 1px solid #d0d7de; border-left-width: 6px; border-radius: 6px;
  margin: 6px 0; background: #fff; }
details.result > summary { cursor: pointer; padding: 6px 10px; list-style-position: inside; }
details.result[open] > summary { border-bottom: 1px solid #d0d7de; }
details.result .body { padding: 8px 14px 12px; }
details.result > summary .title { margin: 0 .3em 0 .5em; font-weight: 600; }
details.judged { border-bottom: 1px solid #d0d7de; padding: 4px 0; }
details.judged > summary { cursor: pointer; }
details.judged .who { display: inline-block; min-width: 11em; }
ul.judged { columns: 2; list-style: none; margin: 4px 0; padding: 0 0 0 1em; font-size: .9em; }
ul.judged a { color: inherit; text-decoration: none; }
.badge { display: inline-block; border: 1px solid; border-radius: 10px; padding: 0 8px;
  font-size: .85em; white-space: nowrap; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 14px; margin: 0; }
dl.facts dt { color: #57606a; }
dl.facts dd { margin: 0; }
blockquote.clause { margin: 0; padding: 4px 10px; border-left: 3px solid #d0d7de;
  background: #f6f8fa; }
table.params td, table.params th { border: 1px solid #d0d7de; padding: 2px 8px; font-size: .9em; }
.warn { color: #7a4f00; background: #fff1cc; border: 1px solid #d4a72c; border-radius: 6px;
  padding: 6px 10px; margin: 4px 0; list-style: none; }
ul.warnings { padding: 0; }
ul.attention { list-style: none; padding: 0; margin: 0; }
ul.attention li { padding: 3px 0; }
ul.attention a { color: inherit; text-decoration: none; }
ul.attention a:hover code { text-decoration: underline; }
footer { margin-top: 40px; color: #57606a; font-size: .85em; }
/* WenQuanYi Zen Hei, often the only Chinese face installed, has no bold: Chinese text
   names its faces first, lets the browser embolden them, and marks emphasis by colour. */
html:lang(zh-CN) body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC",
  "Microsoft YaHei", "WenQuanYi Zen Hei", sans-serif; font-synthesis: weight; }
html:lang(zh-CN) b, html:lang(zh-CN) h1, html:lang(zh-CN) h2, html:lang(zh-CN) h3 {
  color: #0b3d91; }
@page { size: A4 landscape; margin: 10mm; }
@media print {
  /* The summary (counts, attention, matrices, bars, team, judgment) in a few pages; the
     appendix of every result starts on a page of its own. */
  body { max-width: none; padding: 0; font-size: 9pt; line-height: 1.35; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  h1 { font-size: 1.4em; }
  h2 { break-after: avoid; margin: 10px 0 4px; font-size: 1.1em; }
  h3 { break-after: avoid; margin: 10px 0 4px; }
  tr, details.result, details.judged, .counts li, ul.attention li { break-inside: avoid; }
  details.result::details-content { content-visibility: visible; display: block; }
  .noprint { display: none; }
  section.appendix { break-before: page; }
  .scroll { overflow: visible; }
  .counts li { padding: 2px 10px; min-width: 0; }
  .counts b { display: inline; font-size: 1.2em; margin-left: .4em; }
  .matrix th, .matrix td { padding: 1px 4px; }
  .matrix tbody th { min-width: 0; }
  .matrix td.cell { padding: 1px 3px; }
  .scroll + .scroll { margin-top: 6px; }
  .bars { gap: 1px 10px; }
  .track { height: 10px; }
  ul.attention li { padding: 1px 0; }
  details.judged { padding: 1px 0; }
  details.result { margin: 3px 0; }
  details.result > summary { padding: 2px 8px; }
  details.result .body { padding: 3px 10px 5px; }
  dl.facts { gap: 1px 12px; }
}
"""


def style() -> str:
    """The whole style sheet."""
    rules = []
    for each, (text, fill) in STATUS_COLOURS.items():
        status, colour, background = each.value, f"#{text}", f"#{fill}"
        rules.append(
            f".st-{status} {{ color: {colour}; background: {background}; border-color: {colour}; }}"
        )
        rules.append(f"details.result.st-{status} {{ color: #1f2328; background: #fff; }}")
        rules.append(f"details.result.st-{status} > summary {{ background: {background}; }}")
    return _BASE.strip() + "\n" + "\n".join(rules) + "\n"
