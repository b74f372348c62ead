/** The console's style sheet (served as `console.css`; the CSP allows no inline styles). */
export const CONSOLE_STYLES = `
:root { --bg: #f4f5f7; --card: #fff; --ink: #1d2330; --muted: #667085; --line: #dde1e8; --accent: #0b63c5;
  --ok: #12805c; --bad: #b42318; --warn: #b54708; --run: #0b63c5; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; background: var(--bg); color: var(--ink); }
header { display: flex; align-items: center; gap: 16px; padding: 10px 20px; background: #101828; color: #fff; }
header h1 { font-size: 17px; margin: 0; font-weight: 600; }
header h1 span { font-weight: 400; color: #98a2b3; }
header p { margin: 0; flex: 1; color: #d0d5dd; }
header form { margin: 0; }
main { display: grid; grid-template-columns: minmax(0, 1fr) 300px; gap: 16px; padding: 16px 20px; align-items: start; }
h2 { font-size: 15px; margin: 0 0 8px; }
.count { color: var(--muted); font-weight: 400; }
.hint { color: var(--muted); margin: 4px 0 8px; }
.notice { background: #fff6e5; border: 1px solid #f5c26b; padding: 6px 10px; border-radius: 6px; }
.session, aside { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; }
.session { margin-bottom: 12px; }
.session.gone { opacity: .65; }
.head { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; margin-bottom: 6px; }
.head code { color: var(--muted); font-size: 12px; margin-left: auto; }
.kind, .status, .removed, .badge { font-size: 12px; padding: 1px 8px; border-radius: 10px; border: 1px solid var(--line); background: #f9fafb; white-space: nowrap; }
.kind { font-weight: 600; }
.status[data-status="Succeeded"], .badge.ok { color: var(--ok); border-color: #a6e3c8; background: #ecfdf3; }
.status[data-status="Failed"], .badge.bad, .removed { color: var(--bad); border-color: #fecdca; background: #fef3f2; }
.status[data-status="Running"] { color: var(--run); border-color: #b2d4f5; background: #eff8ff; }
.badge.warn { color: var(--warn); border-color: #fedf89; background: #fffaeb; }
.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(240px, 1fr)); gap: 2px 16px; margin: 0 0 8px; }
.facts div { display: flex; gap: 6px; min-width: 0; }
.facts dt { color: var(--muted); white-space: nowrap; }
.facts dd { margin: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.images { display: flex; gap: 12px; }
.images figure, .attempts figure { margin: 0; }
.images img { height: 72px; border: 1px solid var(--line); border-radius: 4px; }
.images figcaption { font-size: 12px; color: var(--muted); }
.attempts { width: 100%; border-collapse: collapse; margin: 6px 0; font-size: 13px; }
.attempts th { text-align: left; color: var(--muted); font-weight: 500; border-bottom: 1px solid var(--line); padding: 3px 6px; }
.attempts td { border-bottom: 1px solid #eef0f3; padding: 3px 6px; vertical-align: middle; }
.attempts tbody:empty::after { content: "No attempt yet."; display: block; color: var(--muted); padding: 3px 6px; }
.attempts img { height: 44px; border-radius: 3px; display: block; }
form.device { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; padding-top: 8px; border-top: 1px dashed var(--line); }
form.device[hidden] { display: none; }
.preview { width: 160px; border-radius: 4px; }
label { display: inline-flex; gap: 6px; align-items: center; }
aside label { display: flex; justify-content: space-between; gap: 8px; margin: 6px 0; }
aside select, aside input { min-width: 0; max-width: 62%; }
aside label[hidden] { display: none; }
aside .row { display: flex; gap: 8px; margin-top: 10px; }
input, select, button { font: inherit; }
input[type=number] { width: 80px; }
input, select { padding: 3px 6px; border: 1px solid #c5cad3; border-radius: 5px; background: #fff; }
button { padding: 4px 12px; border-radius: 6px; border: 1px solid var(--accent); background: var(--accent); color: #fff; cursor: pointer; }
button:disabled { opacity: .45; cursor: default; }
button.quiet { background: #fff; color: var(--ink); border-color: #c5cad3; }
button.danger { background: #fff; color: var(--bad); border-color: #fda29b; }
header button.quiet { background: transparent; color: #fff; border-color: #475467; }
#fault-list { padding-left: 20px; margin: 10px 0 0; }
#fault-list:empty::after { content: "No fault queued."; color: var(--muted); margin-left: -20px; }
main.login { display: block; max-width: 420px; margin: 60px auto; background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 20px 24px; }
main.login h1 { font-size: 18px; margin-top: 0; }
main.login form { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
@media (max-width: 900px) { main { grid-template-columns: 1fr; } }
`;
