/** Small dependency-free SVG charts with text alternatives. */
export { ChartTable } from "./chart-table";
export { LineChart, type Series } from "./line-chart";
export { ShareBar, SplitBar } from "./share-bar";
