/** The highest-risk findings of one asset or one vulnerability (the first page), linking to the full list. */
import { Anchor, Card, Group, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, unwrap } from '../api/client';
import { formatCount, formatDay, formatRisk } from '../format';
import { assetPath, vulnerabilityPath } from '../paths';

export function FindingsOf({ filter }: { filter: { asset: string } | { vulnerability: string } }) {
  const findings = useQuery({
    queryKey: ['findings-of', filter],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/findings', { params: { query: { ...filter, limit: 25 } } })),
  });
  const link = `/findings?${new URLSearchParams(filter).toString()}`;
  return (
    <Card withBorder>
      <Group justify="space-between" mb="sm">
        <Title order={3} size="h4">
          Findings ({formatCount(findings.data?.total)})
        </Title>
        <Anchor component={Link} to={link}>
          All of them, filtered and sortable
        </Anchor>
      </Group>
      {findings.data?.findings.length === 0 ? (
        <Text c="dimmed">No open, suppressed or excepted finding.</Text>
      ) : (
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Risk</Table.Th>
              <Table.Th>{'asset' in filter ? 'Vulnerability' : 'Asset'}</Table.Th>
              <Table.Th>Package</Table.Th>
              <Table.Th>Installed → fix</Table.Th>
              <Table.Th>Due</Table.Th>
              <Table.Th>Status</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {findings.data?.findings.map((f) => (
              <Table.Tr key={f.id}>
                <Table.Td ff="monospace">{formatRisk(f.risk)}</Table.Td>
                <Table.Td>
                  {'asset' in filter ? (
                    <Anchor component={Link} to={vulnerabilityPath(f.vulnerabilityId)}>
                      {f.vulnerabilityId}
                    </Anchor>
                  ) : (
                    <Anchor component={Link} to={assetPath(f.assetId)}>
                      {f.assetId}
                    </Anchor>
                  )}
                </Table.Td>
                <Table.Td>{f.packageName}</Table.Td>
                <Table.Td>
                  {f.installedVersion} → {f.targetVersion ?? 'no fix'}
                </Table.Td>
                <Table.Td>{formatDay(f.dueDate)}</Table.Td>
                <Table.Td>{f.status}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
}
