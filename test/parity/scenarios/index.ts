// Every scenario group, in the order they are recorded and replayed.
import type { ScenarioGroup } from '../scenario.js';
import { authentication } from './authentication.js';
import { authorization } from './authorization.js';
import { badInput } from './bad-input.js';
import { discovery } from './discovery.js';
import { impersonation } from './impersonation.js';
import { rbac } from './rbac.js';

export const ALL_SCENARIOS: readonly ScenarioGroup[] = [authentication, authorization, impersonation, rbac, discovery, badInput];
