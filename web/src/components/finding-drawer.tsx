/**
 * Why a finding has its risk (GET /api/v1/findings/{id}/explanation): each factor's contribution,
 * adding up to the score; the exploit forecast with EPSS beside it and the forecast's top factors;
 * SSVC; the due date and the SLA rule; VEX or exception when one covers it.
 */
import {
  Alert,
  Anchor,
  Badge,
  Divider,
  Drawer,
  Group,
  Loader,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, type Schemas, unwrap } from '../api/client';
import { formatDay, formatPercent, formatRisk } from '../format';
import { assetPath, vulnerabilityPath } from '../paths';
import { ExceptionRequest } from './exception-request';
import { ForecastFactors } from './forecast-factors';

const SOURCE: Record<Schemas['FindingExplanation']['exploit']['source'], string> = {
  model: "patchcast's exploit model",
  epss: 'EPSS',
  'cvss-prior': 'the CVSS prior (no forecast or EPSS)',
};

function Contributions({ e }: { e: Schemas['FindingExplanation'] }) {
  const sum = e.contributions.reduce((total, c) => total + c.value, 0);
  return (
    <Table aria-label="Contributions to the risk" data-testid="contributions">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Factor</Table.Th>
          <Table.Th ta="right">Contribution</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {e.contributions.map((c) => (
          <Table.Tr key={c.factor} data-testid="contribution" data-value={c.value}>
            <Table.Td>
              <Text size="sm" fw={500}>
                {c.factor}
              </Text>
              <Text size="xs" c="dimmed">
                {c.text}
              </Text>
            </Table.Td>
            <Table.Td ta="right" ff="monospace">
              {c.value >= 0 ? '+' : '−'}
              {formatRisk(Math.abs(c.value))}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
      <Table.Tfoot>
        <Table.Tr>
          <Table.Th>Sum of the contributions (the risk)</Table.Th>
          <Table.Th ta="right" ff="monospace" data-testid="contribution-sum">
            {formatRisk(sum)}
          </Table.Th>
        </Table.Tr>
      </Table.Tfoot>
    </Table>
  );
}

function Forecast({ e }: { e: Schemas['FindingExplanation'] }) {
  const id = e.cve ?? e.vulnerabilityId;
  const vulnerability = useQuery({
    queryKey: ['vulnerability', id],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/vulnerabilities/{id}', { params: { path: { id }, query: { top: 5 } } })),
  });
  const x = e.exploit;
  const factors = vulnerability.data?.forecast?.factors ?? [];
  return (
    <Stack gap={4}>
      <Title order={3} size="h5">
        Exploit forecast
      </Title>
      <Group gap="xl">
        <div>
          <Text size="xs" c="dimmed">
            Probability used ({x.horizonDays} days)
          </Text>
          <Text fw={600} data-testid="exploit-probability">
            {formatPercent(x.probability)}
          </Text>
          <Text size="xs">
            from {SOURCE[x.source]}, as of {formatDay(x.asOf)}
          </Text>
        </div>
        <div>
          <Text size="xs" c="dimmed">
            EPSS
          </Text>
          <Text fw={600} data-testid="epss">
            {x.epss ? formatPercent(x.epss.score) : 'not scored'}
          </Text>
          {x.epss && <Text size="xs">as of {formatDay(x.epss.date)}</Text>}
        </div>
        {x.model && (
          <div>
            <Text size="xs" c="dimmed">
              Model (on EPSS's scale)
            </Text>
            <Text fw={600}>
              {formatPercent(x.model.probability)} ({formatPercent(x.model.onEpssScale)})
            </Text>
          </div>
        )}
      </Group>
      <ForecastFactors factors={factors} />
    </Stack>
  );
}

const SLA_STATE: Record<Schemas['FindingExplanation']['sla']['state'], { label: string; color: string }> = {
  breached: { label: 'breached', color: 'red' },
  'due-soon': { label: 'due soon', color: 'orange' },
  'on-track': { label: 'on track', color: 'teal' },
  paused: { label: 'paused by an exception', color: 'gray' },
  closed: { label: 'closed', color: 'gray' },
};

function Sla({ e }: { e: Schemas['FindingExplanation'] }) {
  const state = SLA_STATE[e.sla.state];
  return (
    <Stack gap={4}>
      <Title order={3} size="h5">
        SLA
      </Title>
      <Text size="sm">
        Due{' '}
        <strong data-testid="due-date">
          {e.sla.dueDate ? formatDay(e.sla.dueDate) : 'at the next upgrade'}
        </strong>{' '}
        <Badge color={state.color} variant="light">
          {state.label}
        </Badge>
      </Text>
      <Text size="sm" data-testid="sla-rule">
        Rule <strong>{e.sla.rule}</strong>: {e.sla.reason}
      </Text>
      {e.sla.exceptionId && <Text size="sm">Exception {e.sla.exceptionId} moves the clock.</Text>}
    </Stack>
  );
}

export function FindingDrawer({
  findingId,
  finding,
  onClose,
}: {
  findingId: string | null;
  /** The row, when the drawer was opened from the list: its VEX or exception. */
  finding: Schemas['Finding'] | undefined;
  onClose: () => void;
}) {
  const explanation = useQuery({
    queryKey: ['explanation', findingId],
    enabled: findingId !== null,
    queryFn: async () =>
      unwrap(
        await api.GET('/api/v1/findings/{id}/explanation', { params: { path: { id: findingId ?? '' } } }),
      ),
  });
  const e = explanation.data?.findings[0];
  return (
    <Drawer
      opened={findingId !== null}
      onClose={onClose}
      position="right"
      size="lg"
      title="Why this risk"
      closeButtonProps={{ 'aria-label': 'Close the explanation' }}
    >
      {explanation.isPending && <Loader aria-label="Loading the explanation" />}
      {explanation.error && (
        <Alert color="red" role="alert" title="Could not explain this finding">
          {explanation.error.message}
        </Alert>
      )}
      {e && (
        <Stack>
          <Group justify="space-between" align="flex-start">
            <div>
              <Anchor component={Link} to={vulnerabilityPath(e.vulnerabilityId)} fw={600}>
                {e.cve ?? e.vulnerabilityId}
              </Anchor>
              <Text size="sm">
                {e.packageName} on{' '}
                <Anchor component={Link} to={assetPath(e.assetId)}>
                  {e.assetId}
                </Anchor>
              </Text>
            </div>
            <div>
              <Text size="xs" c="dimmed" ta="right">
                Risk
              </Text>
              <Text fz={28} fw={700} data-testid="explanation-risk">
                {formatRisk(e.risk)}
              </Text>
            </div>
          </Group>
          <Group gap="xs">
            <Badge variant="outline">SSVC {e.ssvc.decision}</Badge>
            <Badge variant="light" color="gray">
              exploitation {e.ssvc.exploitation}
            </Badge>
            <Badge variant="light" color="gray">
              automatable {e.ssvc.automatable}
            </Badge>
            <Badge variant="light" color="gray">
              technical impact {e.ssvc.technicalImpact}
            </Badge>
            <Badge variant="light" color="gray">
              mission & well-being {e.ssvc.missionWellbeing}
            </Badge>
          </Group>
          <Contributions e={e} />
          <Divider />
          <Forecast e={e} />
          <Divider />
          <Sla e={e} />
          <Divider />
          <Stack gap={4}>
            <Title order={3} size="h5">
              VEX and exceptions
            </Title>
            <Text size="sm">
              Status <strong>{e.status}</strong>
              {finding?.suppression &&
                ` — ${finding.suppression.kind === 'vex' ? 'VEX' : 'exception'}: ${finding.suppression.justification}${finding.suppression.ref ? ` (${finding.suppression.ref})` : ''}`}
            </Text>
            {e.status === 'open' && (
              <Text size="sm" c="dimmed">
                No VEX statement or exception covers it.
              </Text>
            )}
            {e.status === 'open' && <ExceptionRequest findingId={e.findingId} />}
          </Stack>
          <Text size="xs" c="dimmed">
            Scored now with the configured weights, as of {formatDay(explanation.data?.asOf.day)} (as
            `patchcast explain {e.findingId}`).
          </Text>
        </Stack>
      )}
    </Drawer>
  );
}
