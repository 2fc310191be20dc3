/**
 * The findings list: TanStack Table for the columns, TanStack Virtual for the rows (only those in
 * view are in the DOM, so a list of 100,000 loaded rows scrolls as one of 100). Scrolling near the
 * end asks for the next server page. Each row's "Explain" button opens the drawer (keyboard: Tab to
 * it, Enter).
 */
import { Anchor, Badge, Button, Text } from '@mantine/core';
import { type ColumnDef, flexRender, getCoreRowModel, useReactTable } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef } from 'react';
import { Link } from 'react-router';
import type { Schemas } from '../api/client';
import { formatDay, formatRisk } from '../format';
import { assetPath, vulnerabilityPath } from '../paths';

type Finding = Schemas['Finding'];

const ROW_HEIGHT = 44;

function makeColumns(onExplain: (f: Finding) => void): ColumnDef<Finding>[] {
  return [
    {
      header: 'Risk',
      accessorKey: 'risk',
      size: 80,
      cell: ({ row }) => (
        <Text ff="monospace" size="sm" data-testid="row-risk">
          {formatRisk(row.original.risk)}
        </Text>
      ),
    },
    {
      header: 'Vulnerability',
      accessorKey: 'vulnerabilityId',
      size: 220,
      cell: ({ row }) => (
        <Anchor component={Link} to={vulnerabilityPath(row.original.vulnerabilityId)} size="sm">
          {row.original.vulnerabilityId}
        </Anchor>
      ),
    },
    {
      header: 'Asset',
      accessorKey: 'assetId',
      size: 170,
      cell: ({ row }) => (
        <Anchor component={Link} to={assetPath(row.original.assetId)} size="sm">
          {row.original.assetId}
        </Anchor>
      ),
    },
    { header: 'Package', accessorKey: 'packageName', size: 170 },
    {
      header: 'Installed → fix',
      id: 'versions',
      size: 220,
      cell: ({ row }) => `${row.original.installedVersion} → ${row.original.targetVersion ?? 'no fix'}`,
    },
    { header: 'Due', accessorKey: 'dueDate', size: 120, cell: ({ row }) => formatDay(row.original.dueDate) },
    {
      header: 'Status',
      accessorKey: 'status',
      size: 100,
      cell: ({ row }) => (
        <Badge variant="light" color={row.original.status === 'open' ? 'blue' : 'gray'}>
          {row.original.status}
        </Badge>
      ),
    },
    {
      header: 'Why',
      id: 'explain',
      size: 100,
      cell: ({ row }) => (
        <Button
          size="compact-xs"
          variant="light"
          onClick={() => onExplain(row.original)}
          aria-label={`Explain the risk of ${row.original.vulnerabilityId} on ${row.original.assetId} (${row.original.packageName})`}
        >
          Explain
        </Button>
      ),
    },
  ];
}

export function FindingsTable({
  findings,
  hasMore,
  loadMore,
  onExplain,
}: {
  findings: Finding[];
  hasMore: boolean;
  loadMore: () => void;
  onExplain: (f: Finding) => void;
}) {
  const columns = useMemo(() => makeColumns(onExplain), [onExplain]);
  const table = useReactTable({ data: findings, columns, getCoreRowModel: getCoreRowModel() });
  const rows = table.getRowModel().rows;
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  });
  const items = virtualizer.getVirtualItems();
  const last = items.at(-1)?.index ?? -1;
  useEffect(() => {
    if (hasMore && last >= rows.length - 20) loadMore();
  }, [hasMore, last, rows.length, loadMore]);
  const top = items[0]?.start ?? 0;
  const bottom = virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0);

  return (
    <div ref={scroller} style={{ height: '65vh', overflow: 'auto' }} data-testid="findings-scroller">
      <table
        style={{ width: '100%', borderCollapse: 'collapse', tableLayout: 'fixed' }}
        aria-rowcount={rows.length + 1}
        aria-label="Findings"
      >
        <thead style={{ position: 'sticky', top: 0, zIndex: 1, background: 'var(--mantine-color-body)' }}>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => (
                <th
                  key={header.id}
                  scope="col"
                  style={{ width: header.getSize(), textAlign: 'left', padding: '8px 6px', fontSize: 13 }}
                >
                  {flexRender(header.column.columnDef.header, header.getContext())}
                </th>
              ))}
            </tr>
          ))}
        </thead>
        <tbody>
          {top > 0 && (
            <tr>
              <td style={{ height: top }} colSpan={columns.length} />
            </tr>
          )}
          {items.map((item) => {
            const row = rows[item.index];
            if (!row) return null;
            return (
              <tr
                key={row.id}
                data-testid="finding-row"
                aria-rowindex={item.index + 2}
                style={{ height: ROW_HEIGHT, borderTop: '1px solid var(--mantine-color-default-border)' }}
              >
                {row.getVisibleCells().map((cell) => (
                  <td
                    key={cell.id}
                    style={{
                      padding: '4px 6px',
                      fontSize: 14,
                      overflow: 'hidden',
                      textOverflow: 'ellipsis',
                      whiteSpace: 'nowrap',
                    }}
                  >
                    {flexRender(cell.column.columnDef.cell, cell.getContext())}
                  </td>
                ))}
              </tr>
            );
          })}
          {bottom > 0 && (
            <tr>
              <td style={{ height: bottom }} colSpan={columns.length} />
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
