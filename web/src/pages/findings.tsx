/**
 * Patches and findings: the keyset pages of GET /api/v1/findings, filtered and sorted by the server.
 * Every filter, the sort and the open explanation live in the URL, so any view is a deep link.
 */
import {
  Alert,
  Button,
  Checkbox,
  Group,
  MultiSelect,
  SegmentedControl,
  Select,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { api, type paths, type Schemas, unwrap } from '../api/client';
import { FindingDrawer } from '../components/finding-drawer';
import { FindingsTable } from '../components/findings-table';
import { PatchesTable } from '../components/patches-table';
import { formatCount } from '../format';

type Query = NonNullable<paths['/api/v1/findings']['get']['parameters']['query']>;
type Sort = NonNullable<Query['sort']>;

const SORTS: { value: Sort; label: string }[] = [
  { value: 'risk', label: 'Risk, highest first' },
  { value: 'due', label: 'Due date, soonest first' },
  { value: 'asset', label: 'Asset' },
  { value: 'vulnerability', label: 'Vulnerability' },
  { value: 'package', label: 'Package' },
];
const STATUSES = ['open', 'suppressed', 'excepted', 'fixed', 'retired'];
const SEVERITIES = ['critical', 'high', 'medium', 'low', 'unknown'];
const PAGE = 200;

/** The API's query from the URL's search parameters (the same names). */
function toQuery(params: URLSearchParams): Query {
  const query: Query = { limit: PAGE, sort: (params.get('sort') as Sort | null) ?? 'risk' };
  for (const key of ['asset', 'package', 'vulnerability', 'status', 'severity'] as const) {
    const value = params.get(key);
    if (value) query[key] = value;
  }
  if (params.get('fixable') === 'true') query.fixable = 'true';
  return query;
}

function TextFilter({
  name,
  label,
  params,
  set,
}: {
  name: string;
  label: string;
  params: URLSearchParams;
  set: (k: string, v: string | null) => void;
}) {
  const [value, setValue] = useState(params.get(name) ?? '');
  return (
    <TextInput
      label={label}
      value={value}
      onChange={(e) => setValue(e.currentTarget.value)}
      onBlur={() => set(name, value.trim() || null)}
      onKeyDown={(e) => e.key === 'Enter' && set(name, value.trim() || null)}
      placeholder="exact id"
      w={190}
    />
  );
}

export function FindingsPage() {
  const [params, setParams] = useSearchParams();
  const query = useMemo(() => toQuery(params), [params]);
  const set = useCallback(
    (key: string, value: string | null) =>
      setParams((p) => {
        const next = new URLSearchParams(p);
        if (value === null || value === '') next.delete(key);
        else next.set(key, value);
        return next;
      }),
    [setParams],
  );
  return (
    <Stack>
      <Title order={2}>Patches and findings</Title>
      <SegmentedControl
        aria-label="Show"
        data={[
          { value: 'findings', label: 'Findings' },
          { value: 'patches', label: 'Patches' },
        ]}
        value={params.get('view') === 'patches' ? 'patches' : 'findings'}
        onChange={(v) => set('view', v === 'patches' ? 'patches' : null)}
        w="fit-content"
      />
      {params.get('view') === 'patches' ? (
        <PatchesTable asset={params.get('asset') ?? undefined} />
      ) : (
        <FindingsView params={params} set={set} query={query} />
      )}
    </Stack>
  );
}

function FindingsView({
  params,
  set,
  query,
}: {
  params: URLSearchParams;
  set: (key: string, value: string | null) => void;
  query: Query;
}) {
  const findings = useInfiniteQuery({
    queryKey: ['findings', query],
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) =>
      unwrap(
        await api.GET('/api/v1/findings', {
          // Pages never count: on a whole fleet a count is a scan of millions of rows (seconds), a
          // page an index range (milliseconds). The total comes apart, below, and shows when ready.
          params: { query: { ...query, total: 'false', ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const counted = useQuery({
    queryKey: ['findings-total', query],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/findings', { params: { query: { ...query, limit: 1 } } })),
  });
  const rows = useMemo(() => findings.data?.pages.flatMap((p) => p.findings) ?? [], [findings.data]);
  const total = counted.data?.total ?? undefined;
  const openId = params.get('finding');
  const [opened, setOpened] = useState<Schemas['Finding'] | undefined>();
  const onExplain = useCallback(
    (f: Schemas['Finding']) => {
      setOpened(f);
      set('finding', f.id);
    },
    [set],
  );
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = findings;
  const loadMore = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  return (
    <>
      <Group align="flex-end" role="search" aria-label="Filter the findings">
        <Select
          label="Sort by"
          data={SORTS}
          value={query.sort ?? 'risk'}
          onChange={(v) => set('sort', v)}
          allowDeselect={false}
          w={210}
        />
        <MultiSelect
          label="Status"
          data={STATUSES}
          value={query.status?.split(',') ?? ['open', 'suppressed', 'excepted']}
          onChange={(v) => set('status', v.join(','))}
          w={260}
        />
        <MultiSelect
          label="Severity"
          data={SEVERITIES}
          value={query.severity?.split(',') ?? []}
          onChange={(v) => set('severity', v.join(','))}
          placeholder="any"
          w={220}
        />
        <TextFilter name="asset" label="Asset" params={params} set={set} />
        <TextFilter name="vulnerability" label="Vulnerability" params={params} set={set} />
        <TextFilter name="package" label="Package" params={params} set={set} />
        <Checkbox
          label="Fix available"
          checked={query.fixable === 'true'}
          onChange={(e) => set('fixable', e.currentTarget.checked ? 'true' : null)}
          mb={8}
        />
      </Group>
      {findings.error && (
        <Alert color="red" role="alert" title="Could not load the findings">
          {findings.error.message}
        </Alert>
      )}
      <Text size="sm" aria-live="polite" data-testid="findings-count">
        {findings.isPending
          ? 'Loading…'
          : `${formatCount(rows.length)} of ${total === undefined ? 'all (counting…)' : formatCount(total)} findings shown`}
      </Text>
      <FindingsTable findings={rows} hasMore={hasNextPage} loadMore={loadMore} onExplain={onExplain} />
      {hasNextPage && (
        <Button variant="default" onClick={loadMore} loading={isFetchingNextPage} w="fit-content">
          Load the next {PAGE}
        </Button>
      )}
      <FindingDrawer
        findingId={openId}
        finding={opened?.id === openId ? opened : rows.find((r) => r.id === openId)}
        onClose={() => set('finding', null)}
      />
    </>
  );
}
