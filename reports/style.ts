// The one stylesheet of every report page, inlined by page(). Charts carry their own SVG attributes; classes
// here only size them and style the HTML around them.

export const STYLE = `
:root{--ok:#1a7f37;--bad:#cf222e;--muted:#57606a;--line:#d0d7de;--soft:#f6f8fa;--accent:#0969da}
*{box-sizing:border-box}
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1f2328;margin:0 auto;padding:1.5em 2em 4em;max-width:1100px}
h1{font-size:1.7em;margin:.2em 0 .1em}
h2{font-size:1.3em;margin:2em 0 .5em;padding-bottom:.2em;border-bottom:1px solid var(--line)}
h3{font-size:1.05em;margin:1.4em 0 .4em}
a{color:var(--accent)}
p{margin:.5em 0}
.summary{font-size:1.1em;color:var(--muted);margin:0 0 1em}
code,pre{font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
code{background:var(--soft);padding:.1em .3em;border-radius:4px}
pre.command{background:#0d1117;color:#e6edf3;padding:.8em 1em;border-radius:6px;overflow-x:auto;user-select:all;-webkit-user-select:all;cursor:text}
pre.command code{background:none;padding:0;color:inherit}
table{border-collapse:collapse;margin:.5em 0;font-size:14px}
th,td{border-bottom:1px solid var(--line);padding:.3em .7em;text-align:left;vertical-align:top}
thead th{background:var(--soft);font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
table.kv th{font-weight:500;color:var(--muted);white-space:nowrap}
table.compact{font-size:13px}
table.compact td,table.compact th{padding:.15em .5em}
.verdict-box{display:flex;align-items:center;gap:1em;margin:1em 0;padding:.8em 1em;border-radius:8px;border:2px solid}
.verdict-box.ok{border-color:var(--ok);background:#dafbe1}
.verdict-box.bad{border-color:var(--bad);background:#ffebe9}
.verdict{font-size:2em;font-weight:800;letter-spacing:.02em}
.verdict.ok{color:var(--ok)}
.verdict.bad{color:var(--bad)}
.why{font-size:1.1em}
.pill{display:inline-block;border-radius:999px;padding:0 .6em;font-size:.85em;background:var(--soft);border:1px solid var(--line);white-space:nowrap}
.pill.ok{color:var(--ok);border-color:var(--ok)}
.pill.bad{color:var(--bad);border-color:var(--bad)}
.pill.set{color:#9a6700;border-color:#d4a72c;background:#fff8c5}
tr.zero td{color:var(--muted)}
.pill.unjudged{color:#6e7781;border-color:#8c959f;background:#eaeef2;text-decoration:none}
tr.not-judged td{color:#6e7781;background:#f6f8fa}
.not-judged{border:1px dashed #8c959f;border-radius:6px;background:#f6f8fa;padding:.4em 1em;margin:.8em 0}
.teaching{background:#fbfbf8;border-left:4px solid #d4a72c;padding:.3em 1.2em;margin:1em 0}
.anomaly{border:1px solid var(--line);border-left:4px solid var(--bad);border-radius:6px;padding:.6em 1em;margin:1em 0}
.anomaly h3{margin:.1em 0 .3em}
.anomaly-num{display:inline-block;min-width:1.6em;text-align:center;background:var(--bad);color:#fff;border-radius:999px;padding:0 .4em;margin-right:.3em}
.anomaly .message{font-weight:500}
.anomaly .kind-text{color:var(--muted);font-size:.92em}
.meta{color:var(--muted);font-size:.92em}
svg.chart{display:block;max-width:100%;height:auto;margin:.3em 0}
.multiples{display:grid;grid-template-columns:repeat(auto-fill,minmax(480px,1fr));gap:.6em 1.2em}
.legend{display:flex;flex-wrap:wrap;gap:.3em 1.2em;font-size:13px;color:var(--muted);margin:.3em 0}
.swatch{display:inline-block;width:.9em;height:.9em;border-radius:2px;vertical-align:-.1em;margin-right:.3em}
.swatch.line{height:3px;width:1.4em;vertical-align:.25em}
.swatch.dash{height:0;width:1.4em;border-top:2px dashed;vertical-align:.25em;background:none}
dl.howto dt{font-weight:600;margin-top:.5em}
dl.howto dd{margin:0 0 0 1.2em;color:#333}
footer{margin-top:3em;color:var(--muted);font-size:13px}
`;
