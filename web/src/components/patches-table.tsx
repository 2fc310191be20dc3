/**
 * Open patches (GET /api/v1/patches): each upgrade with the findings it closes and the risk it
 * removes, highest first, as `patchcast patches` ranks them. A patch's findings are one click away.
 */
import { Alert, Anchor, Loader, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, unwrap } from '../api/client';
import { formatCount, formatDay, formatRisk } from '../format';
import { assetPath } from '../paths';

const LIMIT = 200;

export function PatchesTable({ asset }: { asset: string | undefined }) {
  const patches = useQuery({
    queryKey: ['patches', LIMIT, asset],
    queryFn: async () =>
      unwrap(
        await api.GET('/api/v1/patches', {
          params: { query: { limit: LIMIT, ...(asset ? { asset } : {}) } },
        }),
      ),
  });
  if (patches.isPending) return <Loader aria-label="Loading the patches" />;
  if (patches.error)
    return (
      <Alert color="red" role="alert" title="Could not load the patches">
        {patches.error.message}
      </Alert>
    );
  const { total, patches: rows } = patches.data;
  return (
    <>
      <Text size="sm" aria-live="polite">
        {formatCount(rows.length)} of {formatCount(total)} open patches, highest risk removed first
      </Text>
      <Table striped aria-label="Open patches" data-testid="patches">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Risk removed</Table.Th>
            <Table.Th>Asset</Table.Th>
            <Table.Th>Package</Table.Th>
            <Table.Th>Installed → target</Table.Th>
            <Table.Th>Findings</Table.Th>
            <Table.Th>Vulnerabilities</Table.Th>
            <Table.Th>Earliest due</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((p) => (
            <Table.Tr key={p.id} data-testid="patch-row">
              <Table.Td ff="monospace">{formatRisk(p.riskRemoved)}</Table.Td>
              <Table.Td>
                <Anchor component={Link} to={assetPath(p.asset)}>
                  {p.asset}
                </Anchor>
              </Table.Td>
              <Table.Td>{p.package}</Table.Td>
              <Table.Td>
                {p.installedVersion} → {p.targetVersion ?? 'no fix yet'}
              </Table.Td>
              <Table.Td>{formatCount(p.findings)}</Table.Td>
              <Table.Td>{formatCount(p.vulnerabilities.length)}</Table.Td>
              <Table.Td>{formatDay(p.due)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </>
  );
}
