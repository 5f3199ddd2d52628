// The part of plotly.js-dist-min that Furrow uses (the package ships no types).
declare module 'plotly.js-dist-min' {
  export interface Layout {
    [key: string]: unknown;
  }
  export interface Config {
    [key: string]: unknown;
  }
  const Plotly: {
    react(root: HTMLElement, data: object[], layout?: Layout, config?: Config): Promise<HTMLElement>;
    newPlot(root: HTMLElement, data: object[], layout?: Layout, config?: Config): Promise<HTMLElement>;
    purge(root: HTMLElement): void;
    Plots: {
      /** Draw the plot again at its element's size (plotly waits 100 ms for more changes first). */
      resize(root: HTMLElement): Promise<void>;
    };
    /** A data URL: base64 for png, URI-encoded text for svg. */
    toImage(
      root: HTMLElement,
      options: { format: 'png' | 'svg'; width: number; height: number; scale?: number },
    ): Promise<string>;
  };
  export default Plotly;
}
