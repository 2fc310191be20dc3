/**
 * Overview: KPIs from the API as it stands — open findings, open patches and the risk they remove,
 * findings per SLA state (GET /api/v1/sla) and the most overdue. Each figure says where it is from.
 */
import { Alert, Anchor, Card, Group, Loader, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { api, unwrap } from '../api/client';
import { formatCount, formatDay, formatRisk } from '../format';
import { assetPath, vulnerabilityPath } from '../paths';

const STATES = [
  { key: 'breached', label: 'Breached', color: 'var(--mantine-color-red-7)' },
  { key: 'due-soon', label: 'Due soon', color: 'var(--mantine-color-orange-6)' },
  { key: 'on-track', label: 'On track', color: 'var(--mantine-color-teal-7)' },
  { key: 'paused', label: 'Paused', color: 'var(--mantine-color-gray-6)' },
] as const;

const PATCH_LIMIT = 1000;

function Kpi({ label, value, note }: { label: string; value: string; note: string }) {
  return (
    <Card withBorder role="group" aria-label={label}>
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text fz={28} fw={700} data-testid={`kpi-${label}`}>
        {value}
      </Text>
      <Text size="xs" c="dimmed">
        {note}
      </Text>
    </Card>
  );
}

export function OverviewPage() {
  const sla = useQuery({ queryKey: ['sla'], queryFn: async () => unwrap(await api.GET('/api/v1/sla')) });
  const open = useQuery({
    queryKey: ['findings-total', 'open'],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/findings', { params: { query: { status: 'open', limit: 1 } } })),
  });
  const patches = useQuery({
    queryKey: ['patches', PATCH_LIMIT],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/patches', { params: { query: { limit: PATCH_LIMIT } } })),
  });
  const error = sla.error ?? open.error ?? patches.error;
  const riskRemoved = patches.data?.patches.reduce((sum, p) => sum + p.riskRemoved, 0);
  const chart = STATES.map((s) => ({ ...s, count: sla.data?.totals[s.key] ?? 0 }));

  return (
    <Stack>
      <Title order={2}>Overview</Title>
      {error && (
        <Alert color="red" title="Could not load the overview" role="alert">
          {error.message}
        </Alert>
      )}
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
        <Kpi label="Open findings" value={formatCount(open.data?.total)} note="status open" />
        <Kpi
          label="Open patches"
          value={formatCount(patches.data?.total)}
          note="upgrades that close open findings"
        />
        <Kpi
          label="Open risk"
          value={formatRisk(riskRemoved)}
          note={
            patches.data && patches.data.total > PATCH_LIMIT
              ? `Σ risk removed by the ${PATCH_LIMIT} highest patches`
              : 'Σ risk removed by every open patch'
          }
        />
        <Kpi
          label="SLA breaches"
          value={formatCount(sla.data?.totals.breached)}
          note={sla.data ? `as of ${formatDay(sla.data.asOf)}` : 'findings past their due date'}
        />
      </SimpleGrid>
      <Card withBorder>
        <Title order={3} size="h4" mb="sm" id="sla-chart-title">
          Findings by SLA state
        </Title>
        {sla.isPending ? (
          <Loader aria-label="Loading the SLA report" />
        ) : (
          <>
            <div role="img" aria-labelledby="sla-chart-title" aria-describedby="sla-chart-table">
              <ResponsiveContainer width="100%" height={220}>
                <BarChart data={chart} margin={{ left: 8, right: 8 }}>
                  <CartesianGrid strokeDasharray="3 3" vertical={false} />
                  <XAxis dataKey="label" />
                  <YAxis allowDecimals={false} />
                  <Tooltip />
                  <Bar dataKey="count" name="findings" isAnimationActive={false}>
                    {chart.map((s) => (
                      <Cell key={s.key} fill={s.color} />
                    ))}
                  </Bar>
                </BarChart>
              </ResponsiveContainer>
            </div>
            <Table id="sla-chart-table" mt="sm" striped>
              <Table.Thead>
                <Table.Tr>
                  {chart.map((s) => (
                    <Table.Th key={s.key}>{s.label}</Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                <Table.Tr>
                  {chart.map((s) => (
                    <Table.Td key={s.key}>{formatCount(s.count)}</Table.Td>
                  ))}
                </Table.Tr>
              </Table.Tbody>
            </Table>
          </>
        )}
      </Card>
      <Card withBorder>
        <Group justify="space-between" mb="sm">
          <Title order={3} size="h4">
            Most overdue
          </Title>
          <Anchor component={Link} to="/findings?sort=due">
            All findings by due date
          </Anchor>
        </Group>
        {sla.data && sla.data.breached.length === 0 ? (
          <Text c="dimmed">No finding is past its due date.</Text>
        ) : (
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Vulnerability</Table.Th>
                <Table.Th>Asset</Table.Th>
                <Table.Th>Package</Table.Th>
                <Table.Th>Due</Table.Th>
                <Table.Th>Days over</Table.Th>
                <Table.Th>SLA rule</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {sla.data?.breached.slice(0, 10).map((item) => (
                <Table.Tr key={item.findingId}>
                  <Table.Td>
                    <Anchor component={Link} to={vulnerabilityPath(item.vulnerabilityId)}>
                      {item.cve ?? item.vulnerabilityId}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={assetPath(item.assetId)}>
                      {item.assetId}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{item.packageName}</Table.Td>
                  <Table.Td>{formatDay(item.dueDate)}</Table.Td>
                  <Table.Td>{formatCount(item.daysOverdue)}</Table.Td>
                  <Table.Td>{item.rule}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>
      <Text size="xs" c="dimmed">
        The next maintenance windows and what changed since yesterday are not shown yet (no API for them).
      </Text>
    </Stack>
  );
}
