/**
 * The certification report a partner hands over: one self-contained HTML file. Inline CSS only,
 * no script, no external resource of any kind (a Content-Security-Policy forbids them, so the
 * file reads the same offline, archived or attached to a ticket). The overall verdict is at the
 * top; then what was tested (tool version, profiles with version and spec SHA-256, target, date,
 * seed, runs per property); then every requirement with its severity, verdict and the guide's
 * sentence it cites; then each failure with its counterexample, curl replay and rerun command.
 * Every string is HTML-escaped.
 */
import { headline, type RecordedVerdict, type RunRecord } from './run-record.ts';
import { escapeMarkup as h } from './escape-markup.ts';
import { coverageHtml } from './coverage.ts';
import { waiverNoteHtml, waiversHtml } from './waivers.ts';
import { baselineHtml } from './baseline.ts';
import { guideLines, targetFacts } from './sources.ts';

const CSP = "default-src 'none'; style-src 'unsafe-inline'";

const STYLE = `
:root { --pass: #1a7f37; --fail: #cf222e; --error: #9a6700; --skip: #57606a; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; color: #1f2328; background: #fff; }
main { padding: 0 2rem 2rem; max-width: 80rem; }
header.overall { padding: 1.25rem 2rem; color: #fff; }
header.overall h1 { margin: 0; font-size: 2rem; letter-spacing: .02em; }
header.overall p { margin: .35rem 0 0; }
.overall-PASS { background: var(--pass); } .overall-FAIL { background: var(--fail); } .overall-ERROR { background: var(--error); } .overall-gaps { background: var(--error); }
h2 { margin: 1.75rem 0 .5rem; font-size: 1.2rem; border-bottom: 1px solid #d0d7de; padding-bottom: .25rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: 0; }
dt { font-weight: 600; } dd { margin: 0; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #d0d7de; padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
code, pre, .hash { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
.hash { word-break: break-all; }
pre { background: #f6f8fa; border: 1px solid #d0d7de; padding: .6rem; white-space: pre-wrap; word-break: break-all; }
.v { font-weight: 700; } .v-PASS { color: var(--pass); } .v-FAIL { color: var(--fail); } .v-ERROR { color: var(--error); } .v-SKIP { color: var(--skip); } .v-PARTIAL { color: var(--error); } .v-WAIVED { color: var(--skip); }
article.failure { border-left: 4px solid var(--fail); padding: .1rem 0 .1rem 1rem; margin: 1rem 0 1.5rem; }
article.failure h3 { margin: .25rem 0; font-size: 1.05rem; }
blockquote { margin: .25rem 0; color: #57606a; }
footer { padding: 1rem 2rem; color: #57606a; border-top: 1px solid #d0d7de; }
`;

/**
 * The record as the self-contained HTML certification report (report.html). Pure; throws nothing.
 *
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * import { htmlReport, verify } from 'authconform';
 *
 * const record = await verify({ profile: 'vaulera', target: 'mock', certify: true });
 * writeFileSync('report.html', htmlReport(record));
 * ```
 */
export function htmlReport(record: RunRecord): string {
  const { overall, totals: t } = record;
  const failures = record.verdicts.filter((v) => v.status === 'FAIL');
  const profileIds = record.profiles.map((p) => `${p.id} ${p.version}`).join(', ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${h(CSP)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${h(`authconform ${overall.verdict}: ${profileIds}`)}</title>
<style>${STYLE}</style>
</head>
<body>
<header id="overall" class="overall overall-${overall.verdict}${overall.banner === overall.verdict ? '' : ' overall-gaps'}" data-verdict="${overall.verdict}">
<h1 id="banner">${h(overall.banner)}</h1>
<p id="overall-reason">${h(overall.reason)}</p>
<p id="counts">${t.pass} passed, ${t.fail} failed (${t.failMust} MUST, ${t.failShould} SHOULD), ${t.partial} partial, ${t.skip} skipped, ${t.error} errors${t.waived ? `, ${t.waived} waived` : ''}; exit code ${overall.exitCode}</p>
</header>
<main>
<section id="run">
<h2>What was tested</h2>
<dl>
${runFacts(record, profileIds)
  .map(([k, v]) => `<dt>${h(k)}</dt><dd>${h(v)}</dd>`)
  .join('\n')}
<dt>Spec SHA-256</dt><dd class="hash" id="spec-sha256">${h(record.specSha256)}</dd>
</dl>
</section>
<section id="profiles">
<h2>Profiles</h2>
<table>
<thead><tr><th>profile</th><th>name</th><th>version</th><th>file</th><th>file SHA-256</th><th>spec SHA-256 (profile, scenarios, schemas)</th></tr></thead>
<tbody>
${record.profiles
  .map(
    (p) =>
      `<tr data-profile="${h(p.id)}"><td>${h(p.id)}</td><td>${h(p.name)}</td><td>${h(p.version)}</td><td><code>${h(p.file)}</code></td><td class="hash">${h(p.sha256)}</td><td class="hash">${h(p.specSha256)}</td></tr>`,
  )
  .join('\n')}
</tbody>
</table>
</section>
${coverageHtml(record.coverage, h)}
<section id="requirements">
<h2>Requirements</h2>
${guideLines(record.profiles)
  .map((l) => `<p class="source">Cited from ${h(l)}</p>\n`)
  .join('')}<table>
<thead><tr><th>profile</th><th>requirement</th><th>severity</th><th>verdict</th><th>cites</th><th>note</th></tr></thead>
<tbody>
${record.verdicts.map((v) => requirementRow(v, failures.indexOf(v))).join('\n')}
</tbody>
</table>
</section>
${waiversHtml(record.waivers, h)}${baselineHtml(record.baseline, h)}${failures.length > 0 ? `<section id="failures">\n<h2>Failures</h2>\n${failures.map(failureArticle).join('\n')}\n</section>` : ''}
<section id="spec-files">
<h2>Spec files</h2>
<p>The spec SHA-256 is the SHA-256 of the <code>sha256sum</code> manifest of these files and the profile files above, sorted by file name.</p>
<table>
<thead><tr><th>file</th><th>SHA-256</th></tr></thead>
<tbody>
${[...record.scenarioFiles, ...record.schemaFiles]
  .map((f) => `<tr><td><code>${h(f.file)}</code></td><td class="hash">${h(f.sha256)}</td></tr>`)
  .join('\n')}
</tbody>
</table>
</section>
</main>
<footer>Generated by ${h(`${record.tool.name} ${record.tool.version}`)}. Credentials are shown masked: prefix and last four characters.</footer>
</body>
</html>
`;
}

/** The "what was tested" list: label, value. */
function runFacts(record: RunRecord, profileIds: string): [string, string][] {
  return [
    ['Tool', `${record.tool.name} ${record.tool.version}`],
    ['Date', record.date],
    ...targetFacts(record.target),
    ['Profiles', profileIds],
    ['Seed', String(record.seed)],
    ['Runs per property', String(record.runs)],
    [
      'Fails on',
      record.failOn === 'must'
        ? 'MUST failures (a SHOULD failure is reported, not failing the run)'
        : record.failOn === 'new'
          ? 'new MUST failures against the baseline (one it already had is tolerated)'
          : 'MUST and SHOULD failures',
    ],
    ...(record.scenarioFilter !== undefined
      ? [['Scenarios', record.scenarioFilter] as [string, string]]
      : []),
    ...(record.shard
      ? [
          [
            'Shard',
            `${record.shard.index} of ${record.shard.count} (${record.shard.cases.filter((c) => c.shard === record.shard!.index).length} of the run's ${record.shard.cases.length} cases; authconform merge joins the shards)`,
          ] as [string, string],
        ]
      : []),
  ];
}

function requirementRow(v: RecordedVerdict, failureIndex: number): string {
  const note =
    v.status === 'FAIL'
      ? `<a href="#failure-${failureIndex + 1}">${h(headline(v.reason ?? ''))}</a>`
      : v.status === 'WAIVED'
        ? waiverNoteHtml(v, h)
        : h(v.reason ?? '');
  return `<tr data-profile="${h(v.profile)}" data-scenario="${h(v.scenario)}" data-severity="${v.severity}" data-verdict="${v.status}"><td>${h(v.profile)}</td><td><code>${h(v.scenario)}</code><br>${h(v.title)}</td><td>${v.severity}</td><td class="v v-${v.status}">${v.status}</td><td>${h(v.cite)}</td><td>${note}</td></tr>`;
}

function failureArticle(v: RecordedVerdict, i: number): string {
  const c = v.counterexample;
  const parts = [
    `<article class="failure" id="failure-${i + 1}" data-profile="${h(v.profile)}" data-scenario="${h(v.scenario)}">`,
    `<h3>${v.severity} ${h(v.profile)} / ${h(v.scenario)}: ${h(v.title)}</h3>`,
    `<blockquote>${h(v.cite)}</blockquote>`,
    `<pre class="reason">${h(v.reason ?? '')}</pre>`,
  ];
  if (c) {
    const drawn = Object.keys(c.drawn).length ? ` with ${JSON.stringify(c.drawn)}` : '';
    parts.push(
      `<p>Shrunk counterexample: <code>${h(c.route + drawn)}</code></p>`,
      ...c.exchanges.map(
        (x) =>
          `<p>${h(x.label)}</p><pre class="exchange">${h(`${x.request}\n\n=> ${x.status} ${x.body}`)}</pre>`,
      ),
      '<p>Replay (secrets masked: put your own back in):</p>',
      `<pre class="curl">${h(c.curl)}</pre>`,
    );
  }
  parts.push(
    '<p>Rerun exactly this case:</p>',
    `<pre class="rerun">${h(v.rerun)}</pre>`,
    '</article>',
  );
  return parts.join('\n');
}
