/** One asset (deep link /assets/:id): its context and its highest-risk findings. */
import { Alert, Badge, Card, Group, Loader, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { api, unwrap } from '../api/client';
import { FindingsOf } from '../components/findings-of';
import { formatInstant } from '../format';

function Field({ label, value }: { label: string; value: string | undefined }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm">{value ?? '—'}</Text>
    </div>
  );
}

export function AssetPage() {
  const id = useParams().id ?? '';
  const asset = useQuery({
    queryKey: ['asset', id],
    queryFn: async () => unwrap(await api.GET('/api/v1/assets/{id}', { params: { path: { id } } })),
  });
  const a = asset.data;
  return (
    <Stack>
      <Title order={2}>Asset {id}</Title>
      {asset.isPending && <Loader aria-label="Loading the asset" />}
      {asset.error && (
        <Alert color="red" role="alert" title="Could not load the asset">
          {asset.error.message}
        </Alert>
      )}
      {a && (
        <Card withBorder>
          <Group gap="xs" mb="sm">
            <Badge>{a.kind}</Badge>
            {a.criticality && <Badge color="orange">criticality {a.criticality}</Badge>}
            {a.internetExposed && <Badge color="red">internet-exposed</Badge>}
            {a.tags.map((t) => (
              <Badge key={t} variant="outline">
                {t}
              </Badge>
            ))}
          </Group>
          <SimpleGrid cols={{ base: 2, md: 4 }}>
            <Field label="Name" value={a.name} />
            <Field label="Environment" value={a.environment} />
            <Field label="Owner" value={a.owner} />
            <Field label="Operating system" value={a.osEcosystem} />
            <Field label="Data classification" value={a.dataClassification} />
            <Field label="Window group" value={a.windowGroup} />
            <Field label="Services" value={a.services.join(', ') || undefined} />
            <Field label="Updated" value={formatInstant(a.updatedAt)} />
          </SimpleGrid>
        </Card>
      )}
      <FindingsOf filter={{ asset: id }} />
    </Stack>
  );
}
