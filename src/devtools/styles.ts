// The panel's look: one stylesheet, scoped under .erq-devtools so it never touches the app, with
// light and dark palettes (the system's unless `theme` says). Colours meet WCAG AA on their
// backgrounds; every status badge also says its status in words.

export const STYLES = `
.erq-devtools{--bg:#fff;--bg2:#f4f5f7;--fg:#1b1f24;--muted:#57606a;--line:#d0d7de;--accent:#0b5cad;--ok:#116329;--okbg:#dafbe1;--warn:#7d4e00;--warnbg:#fff8c5;--bad:#a40e26;--badbg:#ffebe9;--info:#0b5cad;--infobg:#ddf4ff;
font:12px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg);display:flex;flex-direction:column;min-height:0;height:100%;box-sizing:border-box;text-align:left}
.erq-devtools[data-theme=dark]{--bg:#0d1117;--bg2:#161b22;--fg:#e6edf3;--muted:#9da7b3;--line:#30363d;--accent:#6cb6ff;--ok:#7ee2a8;--okbg:#0f2d1b;--warn:#f2cc60;--warnbg:#332701;--bad:#ff9492;--badbg:#3d0f12;--info:#6cb6ff;--infobg:#0c2d4d}
@media (prefers-color-scheme:dark){.erq-devtools[data-theme=system]{--bg:#0d1117;--bg2:#161b22;--fg:#e6edf3;--muted:#9da7b3;--line:#30363d;--accent:#6cb6ff;--ok:#7ee2a8;--okbg:#0f2d1b;--warn:#f2cc60;--warnbg:#332701;--bad:#ff9492;--badbg:#3d0f12;--info:#6cb6ff;--infobg:#0c2d4d}}
.erq-devtools *{box-sizing:border-box}
.erq-devtools button{font:inherit;color:inherit;background:var(--bg2);border:1px solid var(--line);border-radius:4px;padding:2px 8px;cursor:pointer}
.erq-devtools button:hover{border-color:var(--accent)}
.erq-devtools :focus-visible{outline:2px solid var(--accent);outline-offset:1px}
.erq-devtools input,.erq-devtools select{font:inherit;color:inherit;background:var(--bg);border:1px solid var(--line);border-radius:4px;padding:2px 6px}
.erq-head{display:flex;align-items:center;gap:8px;padding:6px 8px;border-bottom:1px solid var(--line);background:var(--bg2);flex-wrap:wrap}
.erq-title{font-weight:600;margin:0;font-size:12px}
.erq-summary{color:var(--muted)}
.erq-spacer{flex:1}
.erq-tabs{display:flex;flex-wrap:wrap;gap:2px;padding:0 6px;border-bottom:1px solid var(--line)}
.erq-tab{border:0!important;border-bottom:2px solid transparent!important;border-radius:0!important;background:none!important;padding:6px 8px!important;color:var(--muted)}
.erq-tab[aria-selected=true]{color:var(--fg);border-bottom-color:var(--accent)!important;font-weight:600}
.erq-body{flex:1;overflow:auto;padding:8px;min-height:0}
.erq-badge{display:inline-block;padding:0 6px;border-radius:9px;font-weight:600;font-size:11px;white-space:nowrap;background:var(--infobg);color:var(--info)}
.erq-badge[data-tone=ok]{background:var(--okbg);color:var(--ok)}
.erq-badge[data-tone=warn]{background:var(--warnbg);color:var(--warn)}
.erq-badge[data-tone=bad]{background:var(--badbg);color:var(--bad)}
.erq-badge[data-tone=muted]{background:var(--bg2);color:var(--muted)}
.erq-table{width:100%;border-collapse:collapse}
.erq-table th{text-align:left;color:var(--muted);font-weight:600;padding:3px 6px;border-bottom:1px solid var(--line)}
.erq-table td{padding:3px 6px;border-bottom:1px solid var(--line);vertical-align:top}
.erq-mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:11px;word-break:break-all}
.erq-empty{color:var(--muted);padding:8px 0}
.erq-filters{display:flex;gap:6px;flex-wrap:wrap;align-items:center;margin-bottom:6px}
.erq-log{list-style:none;margin:0;padding:0}
.erq-row{display:grid;grid-template-columns:64px 74px 1fr;gap:6px;align-items:start;padding:3px 4px;border-bottom:1px solid var(--line)}
.erq-devtools button.erq-link{all:unset;cursor:pointer}.erq-devtools button.erq-link:focus-visible{outline:2px solid var(--accent);outline-offset:1px}
.erq-row[data-kind=run]{background:var(--bg2)}
.erq-row pre{grid-column:1/-1;margin:4px 0 0;padding:6px;background:var(--bg2);border-radius:4px;overflow:auto;max-height:200px}
.erq-time{color:var(--muted);font-variant-numeric:tabular-nums}
.erq-h{font-size:12px;margin:10px 0 4px;font-weight:600}
.erq-h:first-child{margin-top:0}
.erq-dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:0}
.erq-dl dt{color:var(--muted)}
.erq-dl dd{margin:0}
.erq-float{position:fixed;z-index:99999;display:flex;flex-direction:column;box-shadow:0 4px 24px rgba(0,0,0,.25);border:1px solid var(--line)}
.erq-float[data-position=bottom]{left:0;right:0;bottom:0}
.erq-float[data-position=top]{left:0;right:0;top:0}
.erq-float[data-position=left]{top:0;bottom:0;left:0}
.erq-float[data-position=right]{top:0;bottom:0;right:0}
.erq-resize{flex:none;background:var(--line);border:0!important;border-radius:0!important;padding:0!important}
.erq-float[data-position=bottom] .erq-resize,.erq-float[data-position=top] .erq-resize{height:4px;width:100%;cursor:ns-resize}
.erq-float[data-position=left] .erq-resize,.erq-float[data-position=right] .erq-resize{width:4px;height:100%;cursor:ew-resize}
.erq-toggle{position:fixed;z-index:99998;border-radius:18px!important;padding:6px 12px!important;box-shadow:0 2px 8px rgba(0,0,0,.25);background:var(--bg)!important;display:flex;gap:6px;align-items:center}
.erq-toggle[data-corner=bottom-right]{right:12px;bottom:12px}
.erq-toggle[data-corner=bottom-left]{left:12px;bottom:12px}
.erq-toggle[data-corner=top-right]{right:12px;top:12px}
.erq-toggle[data-corner=top-left]{left:12px;top:12px}
.erq-dot{width:8px;height:8px;border-radius:50%;background:var(--muted)}
.erq-dot[data-tone=ok]{background:#1a7f37}.erq-dot[data-tone=warn]{background:#bf8700}.erq-dot[data-tone=bad]{background:#cf222e}
`;
