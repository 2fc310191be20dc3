export {
  getClosedStates,
  getRiskBand,
  type HistoryState,
  isHistoryChanged,
  RISK_BANDS,
  recordChangedStates,
  recordFindingHistory,
} from './record-finding-history.js';
