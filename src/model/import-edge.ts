// One import request seen while the handler was imported: the module whose code asked, and the module it
// asked for (absolute name), whether or not that module was loaded already.
export interface ImportEdge {
  importer: string;
  imported: string;
}
