// Pieces every results view shares: figure cards and plain tables.
import type { ReactNode } from "react";

export function Cards(props: { items: [string, ReactNode][] }) {
  return (
    <div className="cards">
      {props.items.map(([label, value]) => (
        <div className="card" key={label}>
          <div className="card-value">{value}</div>
          <div className="card-label">{label}</div>
        </div>
      ))}
    </div>
  );
}

export function Table(props: { head: string[]; rows: ReactNode[][]; testId?: string; numeric?: boolean[] }) {
  return (
    <table className="table" data-testid={props.testId}>
      <thead>
        <tr>
          {props.head.map((h, i) => (
            <th key={h} className={props.numeric?.[i] ? "num" : undefined}>
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row, r) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are positional and never reordered
          <tr key={r}>
            {row.map((cell, c) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: cells are positional
              <td key={c} className={props.numeric?.[c] ? "num" : undefined}>
                {cell}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function Section(props: { title: string; children: ReactNode }) {
  return (
    <section className="section">
      <h3>{props.title}</h3>
      {props.children}
    </section>
  );
}
