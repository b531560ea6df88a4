import type { Policy } from '@warren/topology';
import { ManagementError, type ManagementClient } from '../broker/management';
import type { ApplyReport } from './apply-report';
import { policyToBrokerPolicy } from './broker-state';

/**
 * Policies live in the management API, not in AMQP: removed and put side by side. The broker
 * says why it refuses a policy with a 400, which lands on the policy; anything else is an outage.
 */
export async function applyPolicies(
  management: ManagementClient,
  vhost: string,
  change: { remove: Policy[]; put: Policy[] },
  report: ApplyReport,
): Promise<void> {
  const settle = async (policy: Policy, removed: boolean, action: Promise<void>) => {
    try {
      await action;
      (removed ? report.deleted : report.declared).push(`policy ${policy.name}`);
    } catch (error) {
      if (!(error instanceof ManagementError) || error.status !== 400) throw error;
      report.refused(
        'policy',
        policy.name,
        'BROKER_REFUSED',
        `The broker refused policy '${policy.name}': ${error.reason}`,
        error.reason,
      );
    }
  };
  await Promise.all([
    ...change.remove.map((p) => settle(p, true, management.deletePolicy(vhost, p.name))),
    ...change.put.map((p) =>
      settle(p, false, management.putPolicy(vhost, policyToBrokerPolicy(p))),
    ),
  ]);
}
