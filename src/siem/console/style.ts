/** The console's one stylesheet (served at /static/console-<hash>.css; kept in a module so that the build ships it). */
export const CSS = `
:root { --fg: #1d232b; --muted: #5d6875; --line: #d8dde3; --bg: #f6f7f9; --accent: #2458b3; --bad: #b3261e; --ok: #1f7a3f; font: 14px/1.45 system-ui, sans-serif; color: var(--fg); background: var(--bg); }
body { margin: 0; }
header.top { display: flex; gap: 1.2rem; align-items: center; padding: .5rem 1rem; background: #1d232b; color: #fff; }
header.top a { color: #cfd8e3; text-decoration: none; }
header.top a.active, header.top a:hover { color: #fff; text-decoration: underline; }
header.top .brand { font-weight: 700; color: #fff; }
header.top .who { margin-left: auto; display: flex; gap: .6rem; align-items: center; color: #cfd8e3; }
main { padding: 1rem; max-width: 1400px; }
h1 { font-size: 1.3rem; margin: .2rem 0 1rem; }
h2 { font-size: 1.05rem; margin: 1.4rem 0 .5rem; }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: #eef1f4; font-weight: 600; white-space: nowrap; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.time { white-space: nowrap; font-variant-numeric: tabular-nums; }
pre, code { font: 12px/1.4 ui-monospace, monospace; }
pre { white-space: pre-wrap; word-break: break-all; margin: .2rem 0; max-height: 16rem; overflow: auto; background: #f3f4f6; padding: .4rem; }
form.filters { display: flex; flex-wrap: wrap; gap: .5rem; align-items: end; margin-bottom: .8rem; }
form.filters label { display: flex; flex-direction: column; font-size: 12px; color: var(--muted); }
input, select, button { font: inherit; padding: .25rem .4rem; }
button { cursor: pointer; border: 1px solid var(--line); background: #fff; border-radius: 3px; }
button.primary { background: var(--accent); color: #fff; border-color: var(--accent); }
button.danger { color: var(--bad); }
.sev { font-weight: 700; font-size: 12px; padding: 0 .3rem; border-radius: 3px; }
.sev-CRITICAL { background: #7a1010; color: #fff; } .sev-HIGH { background: #d9480f; color: #fff; }
.sev-MEDIUM { background: #f2c94c; } .sev-LOW { background: #dfe7f1; }
.status { font-size: 12px; padding: 0 .3rem; border: 1px solid var(--line); border-radius: 3px; }
.status-open, .status-reopened { border-color: var(--bad); color: var(--bad); } .status-closed { color: var(--muted); }
.flash { padding: .5rem .8rem; margin-bottom: .8rem; border-radius: 3px; }
.flash.error { background: #fde8e6; color: var(--bad); } .flash.ok { background: #e5f4ea; color: var(--ok); }
.flash:empty { display: none; }
.muted { color: var(--muted); }
.pager { margin: .6rem 0; display: flex; gap: 1rem; }
dl.fields { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; background: #fff; padding: .6rem; margin: 0; }
dl.fields dt { color: var(--muted); } dl.fields dd { margin: 0; }
.actions { display: flex; flex-wrap: wrap; gap: .4rem; margin: .6rem 0; align-items: center; }
.actions form { display: flex; gap: .3rem; }
.sign-in { max-width: 22rem; margin: 4rem auto; background: #fff; padding: 1.5rem; border: 1px solid var(--line); }
.sign-in label { display: block; margin-bottom: .7rem; } .sign-in input { width: 100%; box-sizing: border-box; }
.chart { background: #fff; border: 1px solid var(--line); margin-bottom: 1rem; max-width: 100%; height: auto; }
.chart text { font: 11px system-ui, sans-serif; fill: var(--muted); }
.chart .axis { stroke: #9aa5b1; stroke-width: 1; } .chart .grid { stroke: #eceff3; stroke-width: 1; }
.htmx-request { opacity: .6; }
td details summary { max-width: 14rem; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; cursor: pointer; font: 12px ui-monospace, monospace; }
td details[open] summary { max-width: none; }
td details[open] { min-width: 28rem; }
#alert-timeline tr.evidence td { font-weight: 600; }
`;
