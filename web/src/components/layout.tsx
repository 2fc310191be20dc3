/** The frame of every signed-in page: skip link, navigation, who is signed in, theme, sign-out. */
import {
  ActionIcon,
  AppShell,
  Badge,
  Button,
  Group,
  NavLink,
  Text,
  Title,
  useComputedColorScheme,
  useMantineColorScheme,
} from '@mantine/core';
import type { ReactNode } from 'react';
import { NavLink as RouterLink, useLocation } from 'react-router';
import { signOut } from '../auth/session';
import { useMe } from '../auth/use-me';
import { TIME_ZONE } from '../format';
import { PATHS } from '../paths';

const NAV = [
  { to: PATHS.overview, label: 'Overview' },
  { to: PATHS.findings, label: 'Patches and findings' },
] as const;

function ThemeToggle() {
  const { setColorScheme } = useMantineColorScheme();
  const scheme = useComputedColorScheme('light');
  const next = scheme === 'dark' ? 'light' : 'dark';
  return (
    <ActionIcon
      variant="default"
      size="lg"
      aria-label={`Use the ${next} theme`}
      onClick={() => setColorScheme(next)}
    >
      <span aria-hidden="true">{scheme === 'dark' ? '☀' : '☾'}</span>
    </ActionIcon>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const me = useMe();
  const { pathname } = useLocation();
  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: 'sm' }} padding="md">
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Title order={1} size="h3">
            patchcast
          </Title>
          <Group gap="sm">
            <Text size="sm" c="dimmed" title="Times are shown in this time zone">
              {TIME_ZONE}
            </Text>
            {me.data && (
              <Group gap={6} aria-label="Signed in as">
                <Text size="sm">{me.data.id}</Text>
                <Badge variant="light" data-testid="role">
                  {me.data.role}
                </Badge>
              </Group>
            )}
            <ThemeToggle />
            <Button variant="default" size="xs" onClick={signOut}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav" aria-label="Pages">
        {NAV.map((item) => (
          <NavLink
            key={item.to}
            component={RouterLink}
            to={item.to}
            label={item.label}
            active={item.to === '/' ? pathname === '/' : pathname.startsWith(item.to)}
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1}>
        {children}
      </AppShell.Main>
    </AppShell>
  );
}
