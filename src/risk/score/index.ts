/** Risk scoring: R = L · I · E with exact contributions, and CISA's SSVC decision. Pure. */
export { formatContribution, formatExploit, formatExploitShort, formatPercent } from './describe.js';
export {
  CVSS_PRIOR,
  DEFAULT_RISK_WEIGHTS,
  getCvssPrior,
  type RiskWeights,
  UNSCORED_PRIOR,
} from './levels.js';
export { getExploitEstimate, getExploitProbability, scoreFinding } from './score-finding.js';
export {
  getEnvironmentKind,
  getExploitation,
  getMissionWellbeing,
  getSsvc,
  getSsvcDecision,
} from './ssvc.js';
