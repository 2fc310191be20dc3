/**
 * The app: Mantine (the one component and style system, light and dark), TanStack Query for every
 * API read, react-router for deep links. Every page but sign-in needs a session.
 */
import { createTheme, MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createBrowserRouter, Navigate, Outlet, RouterProvider, useLocation } from 'react-router';
import { ApiError } from './api/client';
import { useToken } from './auth/session';
import { Layout } from './components/layout';
import { SignInPage } from './pages/sign-in';
import { PATHS } from './paths';

// Shade 8 in light: links and filled buttons at ≥ 4.5:1 on white (shade 6 is 4.3:1; the contrast test measures it).
const theme = createTheme({
  primaryColor: 'indigo',
  primaryShade: { light: 8, dark: 8 },
  defaultRadius: 'sm',
});

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A 4xx will not change on retry; network trouble and 5xx get two more tries.
      retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
      staleTime: 30_000,
    },
  },
});

/** Pages behind sign-in: without a session, to the sign-in page, which comes back here after. */
function RequireSession() {
  const token = useToken();
  const location = useLocation();
  if (!token) {
    const next = location.pathname + location.search;
    return <Navigate to={`${PATHS.signIn}?next=${encodeURIComponent(next)}`} replace />;
  }
  return (
    <Layout>
      <Outlet />
    </Layout>
  );
}

const router = createBrowserRouter([
  { path: PATHS.signIn, element: <SignInPage /> },
  {
    element: <RequireSession />,
    children: [
      // Each page is its own chunk, loaded when first visited (the chart library only with the overview).
      {
        path: PATHS.overview,
        lazy: async () => ({ Component: (await import('./pages/overview')).OverviewPage }),
      },
      {
        path: PATHS.findings,
        lazy: async () => ({ Component: (await import('./pages/findings')).FindingsPage }),
      },
      {
        path: PATHS.vulnerability,
        lazy: async () => ({ Component: (await import('./pages/vulnerability')).VulnerabilityPage }),
      },
      { path: PATHS.asset, lazy: async () => ({ Component: (await import('./pages/asset')).AssetPage }) },
    ],
  },
]);

export function App() {
  return (
    <MantineProvider theme={theme} defaultColorScheme="auto">
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </MantineProvider>
  );
}
