import { join } from 'node:path';
import type { Command } from 'commander';
import { PatchcastError } from '../../core/errors.js';
import { fromDay } from '../../predict/index.js';
import {
  ADVISORIES_FILE,
  type Advisory,
  formatMetricsRow,
  guessFamily,
  guessRelease,
  loadReliabilityModel,
  makeReliabilityArtifact,
  SHIPPED_RELIABILITY_MODEL_PATH,
  saveReliabilityModel,
  scorePatch,
  trainReliability,
} from '../../predict/reliability/index.js';
import { loadReliabilityAdvisories } from '../../services/reliability/load-advisories.js';
import { loadAdvisoriesFromDir } from '../../services/reliability/reliability-advisories.js';
import { getGlobalOptions, withServices } from '../context.js';
import { printJson, printLine, printTable } from '../output.js';
import { parseDayOption, today } from './predict-options.js';

const DATA_OPTION = `read ${ADVISORIES_FILE} from this directory instead of the store`;

/** The advisory history: `--data DIR`'s file, else the store's (what `patchcast sync` wrote). */
async function loadCommandAdvisories(
  command: Command,
  data: string | undefined,
): Promise<{ advisories: Advisory[]; from: string }> {
  if (data) return { advisories: await loadAdvisoriesFromDir(data), from: join(data, ADVISORIES_FILE) };
  const advisories = await withServices(command, loadReliabilityAdvisories);
  return { advisories, from: 'the store (debian-advisories feed)' };
}

/** `patchcast reliability train|score`: the patch-reliability prior from Debian's advisory history. */
export function registerReliabilityCommand(program: Command): void {
  const reliability = program
    .command('reliability')
    .description('patch reliability: the chance an update needs a regression fix');
  reliability
    .command('train')
    .description(
      'temporal-split evaluation (test 2020–2022) and the shipped model, from Debian DSA/DLA history',
    )
    .option('--data <dir>', DATA_OPTION)
    .option('--out <file>', 'write the model artifact (with its card) here')
    .action(async (o: { data?: string; out?: string }, command: Command) => {
      const { advisories } = await loadCommandAdvisories(command, o.data);
      const { report, shipped } = trainReliability(advisories);
      const artifact = makeReliabilityArtifact(advisories, report, shipped, ADVISORIES_FILE);
      if (o.out) saveReliabilityModel(o.out, artifact);
      if (getGlobalOptions(command).json) return printJson({ report, card: artifact.card });
      const { plan } = report;
      printLine(
        `data ${plan.dataFrom} … ${plan.dataTo}; model choice and calibration on out-of-time years ${plan.validYears.join(', ')}; test ${plan.testFrom} … ${plan.testTo}`,
      );
      printTable(report.test.map(formatMetricsRow));
      printLine(`censored tail included: ${JSON.stringify(formatMetricsRow(report.testWithCensoredTail))}`);
      const card = artifact.card.model;
      printLine(
        `shipped: ${card.name}${card.trees ? ` (${card.trees} trees)` : ''}, trained to ${card.trainTo} on ${card.trainingRows.rows} advisories (${card.trainingRows.positives} followed by a regression update); Platt map on ${card.calibration.rows} out-of-time rows${o.out ? `; wrote ${o.out}` : ''}`,
      );
    });
  reliability
    .command('score')
    .description(
      'the chance that installing <package> <version> needs a regression fix, with its main factors',
    )
    .argument('<package>', 'Debian source package, e.g. openssl')
    .argument('<version>', 'the version being installed, e.g. 1.1.1n-0+deb11u4')
    .option('--release <codename>', 'Debian release (default: read from a +debNuM suffix)')
    .option('--cves <ids>', 'comma-separated CVE ids the update fixes')
    .option('--as-of <date>', 'history as of this day (default: the day after the data ends, or today)')
    .option('--data <dir>', DATA_OPTION)
    .option('--model <file>', 'model file (default: the model shipped with patchcast)')
    .action(async (name: string, version: string, o: Record<string, string>, command: Command) => {
      const artifact = loadReliabilityModel(o.model ?? SHIPPED_RELIABILITY_MODEL_PATH);
      const { advisories, from } = await loadCommandAdvisories(command, o.data);
      const last = advisories[advisories.length - 1]?.day ?? today();
      const day = o.asOf ? parseDayOption('as-of', o.asOf) : Math.min(today(), last + 1);
      const release = o.release ?? guessRelease(version);
      if (!release) {
        throw new PatchcastError('USAGE_INVALID_ARGUMENT', `cannot tell the Debian release of ${version}`, {
          hint: 'Pass --release CODENAME (e.g. --release bullseye).',
        });
      }
      const cves = o.cves ? o.cves.split(',').map((c) => c.trim().toUpperCase()) : undefined;
      const result = scorePatch(
        artifact,
        advisories,
        {
          package: name,
          fixed: [{ release, package: name, version }],
          family: guessFamily(advisories, release, day),
          revision: 1,
          title: 'security update',
          isRegressionUpdate: false,
          ...(cves ? { cves } : {}),
        },
        day,
      );
      if (getGlobalOptions(command).json) return printJson({ ...result, version, release });
      printLine(
        `${name} ${version} (${release}) as of ${result.asOf}: P(regression update) = ${(100 * result.probability).toFixed(2)}% (model ${result.model}; history to ${fromDay(last)})`,
      );
      for (const f of result.factors) {
        printLine(
          `  ${f.contribution >= 0 ? '↑' : '↓'} ${f.text}  (${f.contribution >= 0 ? '+' : ''}${f.contribution.toFixed(2)} log-odds)`,
        );
      }
      printLine(`data: ${from}`);
    });
}
