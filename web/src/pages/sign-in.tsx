/**
 * Sign-in with an API token (`patchcast tokens create` prints one). The token is checked with
 * GET /api/v1/me before the session starts, so a wrong one is told here, not on the next page.
 */
import { Alert, Button, Center, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { signIn } from '../auth/session';
import { PATHS } from '../paths';

async function checkToken(token: string): Promise<string | null> {
  const response = await fetch('/api/v1/me', { headers: { authorization: `Bearer ${token}` } });
  if (response.ok) return null;
  const problem = (await response.json().catch(() => ({}))) as { detail?: string };
  return problem.detail ?? `the API answered ${response.status}`;
}

export function SignInPage() {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = params.get('next');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const problem = await checkToken(token.trim());
      if (problem) return setError(problem);
      signIn(token.trim());
      // Only a path of this app: never an address elsewhere.
      navigate(next?.startsWith('/') && !next.startsWith('//') ? next : PATHS.overview, { replace: true });
    } catch (e) {
      setError(`cannot reach the API: ${(e as Error).message}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Center mih="100vh" component="main">
      <Paper withBorder p="xl" w={420} component="form" onSubmit={submit} aria-labelledby="sign-in-title">
        <Stack>
          <Title order={1} size="h2" id="sign-in-title">
            Sign in to patchcast
          </Title>
          <PasswordInput
            label="API token"
            description="patchcast tokens create --role viewer prints one (pct_…). It is kept for this tab only."
            value={token}
            onChange={(e) => setToken(e.currentTarget.value)}
            required
            autoFocus
            autoComplete="off"
          />
          {error && (
            <Alert color="red" title="Not signed in" role="alert">
              {error}
            </Alert>
          )}
          <Button type="submit" loading={busy}>
            Sign in
          </Button>
          <Text size="xs" c="dimmed">
            Sign-in with the configured OIDC provider is not offered yet.
          </Text>
        </Stack>
      </Paper>
    </Center>
  );
}
