import { css, html } from 'lit';

/** Groups of digits (safety numbers, one's own half) as a grid that reads row by row, in a fixed-width face. */
export const digitGroups = (groups: readonly string[]) =>
  html`<p class="digits">${groups.map((group) => html`<span class="group">${group}</span>`)}</p>`;

/** The styles {@link digitGroups} needs, for the styles of a component that uses it. */
export const digitGroupStyles = css`
  .digits { display: grid; grid-template-columns: repeat(3, max-content); gap: 0.2rem 0.8rem; margin: 0.4rem 0;
    font-family: ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace; font-size: 0.95rem; letter-spacing: 0.05em; }
`;
