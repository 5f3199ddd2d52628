// The only web pages Furrow opens in the browser: links the app itself shows. Electron main opens a URL with
// shell.openExternal only when it is one of these, so a page can never make the app open anything else.
export const APP_LINKS = {
  xarray: 'https://docs.xarray.dev/en/stable/',
  sbatch: 'https://slurm.schedmd.com/sbatch.html',
  h5web: 'https://h5web.panosc.eu/',
} as const;

export const isAppLink = (url: string): boolean => (Object.values(APP_LINKS) as string[]).includes(url);
