// Every scenario group, in the order they are recorded and replayed.
import type { ScenarioGroup } from '../scenario.js';
import { anonymousOff } from './anonymous-off.js';
import { audit } from './audit.js';
import { authentication } from './authentication.js';
import { authorization } from './authorization.js';
import { badInput } from './bad-input.js';
import { bootstrapTokens } from './bootstrap-tokens.js';
import { certificates } from './certificates.js';
import { discovery } from './discovery.js';
import { frontProxy } from './front-proxy.js';
import { impersonation } from './impersonation.js';
import { rbac } from './rbac.js';
import { rbacBootstrap } from './rbac-bootstrap.js';
import { serviceaccounts } from './serviceaccounts.js';
import { webhooks } from './webhooks.js';

export const ALL_SCENARIOS: readonly ScenarioGroup[] = [authentication, certificates, authorization, impersonation, rbac, rbacBootstrap, discovery, badInput, anonymousOff, serviceaccounts, bootstrapTokens, webhooks, frontProxy, audit];
