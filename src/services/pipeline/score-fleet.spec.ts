import { makeTempStore } from '../../../test/support/store.js';
import { describeFleetRisk } from './score-fleet.contract.js';

describeFleetRisk('SQLite', makeTempStore, (risk) => risk);
