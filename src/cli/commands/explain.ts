import type { Command } from 'commander';
import { PatchcastError } from '../../core/errors.js';
import { isPatchIdShape } from '../../matching/patches.js';
import {
  explainCve,
  fromDay,
  loadExploitModel,
  loadHistory,
  SHIPPED_MODEL_PATH,
  toDay,
} from '../../predict/index.js';
import { getAsOf } from '../../risk/as-of.js';
import { explainCve as explainCveService } from '../../services/findings/explain-cve.js';
import { formatCveForecast } from '../../services/findings/explain-from-store.js';
import { getGlobalOptions, withServices } from '../context.js';
import { printJson, printLine } from '../output.js';
import { isFindingTarget, runExplainFinding } from './explain-finding.js';
import { runExplainPatch } from './explain-patch.js';
import { parseDayOption, resolveDataDir } from './predict-options.js';

/**
 * `patchcast explain CVE-…`: the exploit forecast's probability, percentile and top factors in plain
 * words. `patchcast explain <finding-id>` or `explain CVE-… --asset ID`: that finding's risk instead.
 */
export function registerExplainCommand(program: Command): void {
  program
    .command('explain')
    .description(
      "explain a CVE's exploit forecast, a finding's risk (a finding id, or a CVE with --asset), or a patch (a patch id from `patchcast patches`)",
    )
    .argument(
      '<cve-or-finding>',
      'CVE id (e.g. CVE-2024-21887), finding id, or patch id (asset/ecosystem/package)',
    )
    .option('--asset <id>', "explain the risk of this CVE's findings on this asset")
    .option(
      '--as-of <date>',
      "forecast as of this day (default: today's as-of day, or the day after the data ends when it is older)",
    )
    .option('--data <dir>', 'read this data directory (../shared/data layout) instead of the store')
    .option('--model <file>', "model file (default: the store's current model, else the shipped one)")
    .option('--top <n>', 'number of factors', '5')
    .action(async (cve: string, o: Record<string, string>, command: Command) => {
      if (!o.asset && isPatchIdShape(cve)) return runExplainPatch(command, cve);
      if (isFindingTarget(cve, o.asset))
        return runExplainFinding(command, cve, { top: o.top ?? '5', ...(o.asset ? { asset: o.asset } : {}) });
      if (!o.data) return runExplainFromStore(command, cve.toUpperCase(), o);
      const artifact = loadExploitModel(o.model ?? SHIPPED_MODEL_PATH);
      const history = await loadHistory(resolveDataDir(o.data));
      // The one as-of day of every command; the forecast cannot use data the mirror does not have.
      const asOfDay = getAsOf(new Date(), fromDay(history.lastDay)).day;
      const day = o.asOf ? parseDayOption('as-of', o.asOf) : Math.min(toDay(asOfDay), history.lastDay + 1);
      const result = explainCve(history, artifact, cve.toUpperCase(), day, Number(o.top));
      if (!result)
        throw new PatchcastError('INPUT_NOT_FOUND', `${cve} is not in the data`, {
          hint: 'Check the CVE id.',
        });
      const forecastDay = result.asOf;
      const shown = o.asOf ? forecastDay : asOfDay;
      const index = history.indexOf.get(result.cve) ?? -1;
      const listing = history.kev.find((k) => k.cve === index && k.addedDay <= day && !(k.removedDay <= day));
      if (getGlobalOptions(command).json)
        return printJson({
          ...result,
          asOf: shown,
          forecastDay,
          model: artifact.card.version,
          kevSince: listing ? fromDay(listing.addedDay) : null,
        });
      if (listing) {
        printLine(
          `${result.cve} is in CISA KEV since ${fromDay(listing.addedDay)}: the exploit model forecasts KEV listings, so it does not score listed CVEs; in risk, the KEV factor carries it.`,
        );
        return;
      }
      const where = result.inPopulation
        ? `${result.percentile.toFixed(1)}th percentile`
        : 'not in the scored population (not yet published at this date)';
      printLine(
        `${result.cve} as of ${shown}: P(added to KEV within ${artifact.horizonDays} days) = ${(result.probability * 100).toFixed(2)}% (${where})`,
      );
      if (forecastDay !== shown)
        printLine(
          `  forecast from the data through ${fromDay(history.lastDay)} (the data ends before ${shown})`,
        );
      for (const factor of result.factors) {
        printLine(
          `  ${factor.contribution >= 0 ? '↑' : '↓'} ${factor.text}  (${factor.contribution >= 0 ? '+' : ''}${factor.contribution.toFixed(2)} log-odds)`,
        );
      }
    });
}

/** `explain CVE-…` without --data: the store's current model on a History restricted to the CVE. */
async function runExplainFromStore(command: Command, cve: string, o: Record<string, string>): Promise<void> {
  const forecast = await withServices(command, (deps) =>
    explainCveService(deps, {
      cve,
      top: Number(o.top ?? '5'),
      ...(o.asOf ? { day: parseDayOption('as-of', o.asOf) } : {}),
      ...(o.model ? { artifact: loadExploitModel(o.model) } : {}),
    }),
  );
  if (getGlobalOptions(command).json) return printJson(forecast);
  for (const line of formatCveForecast(forecast)) printLine(line);
}
