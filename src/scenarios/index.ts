// Broken-certificate scenarios: certificates and kubeconfigs that fail in kubectl the way real ones do, with the
// message kubectl prints, why, and the fix. The modules behind this surface are internal.
export { SCENARIO_NAMES, SCENARIOS, scenarioInfo, type ScenarioInfo, type ScenarioName, type ScenarioRefusedBy } from './catalog.js';
export {
  buildScenario,
  checkServerUrl,
  fillMessage,
  isScenarioName,
  messagePattern,
  MISMATCHED_SERVER_NAME,
  ScenarioError,
  scenarioUser,
  type BuildScenarioOptions,
  type BuiltScenario,
  type ScenarioFile,
} from './build.js';
