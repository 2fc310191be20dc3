export { recordFindingHistory } from './record-finding-history.js';
