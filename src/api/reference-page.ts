/** The API reference as one self-contained HTML page, rendered from the OpenAPI document (no scripts). */
import type { OpenApiDocument } from './openapi.js';

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

export function renderReferencePage(doc: OpenApiDocument): string {
  const sections: string[] = [];
  for (const [path, operations] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(operations)) {
      const params =
        (op.parameters as Array<{ name: string; in: string; required: boolean; description?: string }>) ?? [];
      const rows = params
        .map(
          (p) =>
            `<tr><td><code>${escapeHtml(p.name)}</code></td><td>${p.in}</td><td>${p.required ? 'yes' : ''}</td><td>${escapeHtml(p.description ?? '')}</td></tr>`,
        )
        .join('');
      const body = op.requestBody
        ? `<details><summary>request body</summary><pre>${escapeHtml(JSON.stringify(op.requestBody, null, 1))}</pre></details>`
        : '';
      const responses = `<details><summary>responses</summary><pre>${escapeHtml(JSON.stringify(op.responses, null, 1))}</pre></details>`;
      sections.push(
        `<section id="${escapeHtml(String(op.operationId))}"><h3><span class="m">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code></h3>` +
          `<p>${escapeHtml(String(op.summary))} <em>(${escapeHtml(String(op['x-patchcast-permission']))})</em></p>` +
          (rows
            ? `<table><tr><th>parameter</th><th>in</th><th>required</th><th></th></tr>${rows}</table>`
            : '') +
          body +
          responses +
          '</section>',
      );
    }
  }
  const schemas = Object.entries(doc.components.schemas)
    .map(
      ([id, s]) =>
        `<section id="schema-${escapeHtml(id)}"><h3>${escapeHtml(id)}</h3><pre>${escapeHtml(JSON.stringify(s, null, 1))}</pre></section>`,
    )
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>patchcast API ${escapeHtml(String(doc.info.version))}</title>
<style>body{font:14px system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem}code,pre{font:13px ui-monospace,monospace}pre{background:#f5f5f5;padding:.5rem;overflow:auto}.m{display:inline-block;min-width:4rem}table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.2rem .5rem;text-align:left}</style></head>
<body><h1>patchcast API ${escapeHtml(String(doc.info.version))}</h1><p>${escapeHtml(String(doc.info.description))}</p><p><a href="/openapi.json">openapi.json</a> (OpenAPI 3.1)</p>
<h2>Operations</h2>${sections.join('\n')}<h2>Schemas</h2>${schemas}</body></html>`;
}
