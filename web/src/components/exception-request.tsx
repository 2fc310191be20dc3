/**
 * "Request an exception" for one finding (POST /api/v1/exception-requests): offered only to roles
 * with `operate`; it suppresses nothing until an approver approves it.
 */
import { Alert, Button, Stack, Textarea, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../api/client';
import { can, useMe } from '../auth/use-me';

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

export function ExceptionRequest({ findingId }: { findingId: string }) {
  const me = useMe();
  const [open, setOpen] = useState(false);
  const [owner, setOwner] = useState('');
  const [reason, setReason] = useState('');
  const [expires, setExpires] = useState(inDays(30));
  const request = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/exception-requests', {
          body: { scope: 'finding', id: findingId, owner, reason, expires },
        }),
      ),
  });
  if (!can(me.data, 'operate')) return null;
  if (request.data)
    return (
      <Alert color="teal" role="status" title="Exception requested">
        Request {request.data.requestId} waits for an approver.
      </Alert>
    );
  if (!open)
    return (
      <Button variant="default" onClick={() => setOpen(true)} w="fit-content">
        Request an exception
      </Button>
    );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    request.mutate();
  };
  return (
    <Stack component="form" onSubmit={submit} gap="xs" aria-label="Request an exception">
      <TextInput label="Owner" value={owner} onChange={(e) => setOwner(e.currentTarget.value)} required />
      <Textarea label="Reason" value={reason} onChange={(e) => setReason(e.currentTarget.value)} required />
      <TextInput
        label="Last day it holds"
        type="date"
        value={expires}
        onChange={(e) => setExpires(e.currentTarget.value)}
        required
      />
      {request.error && (
        <Alert color="red" role="alert" title="Not requested">
          {request.error.message}
        </Alert>
      )}
      <Button type="submit" loading={request.isPending} w="fit-content">
        Send the request
      </Button>
    </Stack>
  );
}
