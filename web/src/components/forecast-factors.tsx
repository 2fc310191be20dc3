import { Table } from '@mantine/core';

/** One factor of the exploit forecast: its words and its signed contribution. */
export interface ForecastFactor {
  feature: string;
  text: string;
  contribution: number;
}

/** The forecast's top factors, each with its signed contribution (finding drawer and vulnerability page). */
export function ForecastFactors({ factors, mt }: { factors: readonly ForecastFactor[]; mt?: string }) {
  if (factors.length === 0) return null;
  return (
    <Table aria-label="Top factors of the forecast" {...(mt ? { mt } : {})}>
      <Table.Tbody>
        {factors.map((f) => (
          <Table.Tr key={f.feature}>
            <Table.Td>{f.text}</Table.Td>
            <Table.Td ta="right" ff="monospace">
              {f.contribution >= 0 ? '+' : '−'}
              {Math.abs(f.contribution).toFixed(3)}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
