/**
 * The d3 air-quality charts. Each render function owns the element it is given
 * (its content is replaced) and returns a handle whose destroy() removes it.
 */
import './charts.css';

export { renderSeriesChart, type SeriesProps, type SeriesHandle, type SeriesReference } from './seriesChart';
export { renderCalendar, type CalendarProps, type CalendarHandle } from './calendarChart';
export { renderMonthly, type MonthlyProps, type MonthlySeries } from './monthlyChart';
export { renderGoodDays, type GoodDaysProps, type GoodDaysRow } from './goodDaysChart';
export { renderCityTable, CITY_COLUMNS, type CityPeriodRow, type CityStatKey, type CityTableProps } from './cityTable';
export { renderRestorationChart, restorationSeries, type RestorationChartProps, type RestorationType, type RestorationYearRow } from './restorationChart';
export { renderSortableTable, sortRows, type SortableTableProps, type SortState, type TableColumn, type TableRow } from './sortableTable';
export { toCsv, downloadCsv } from './csv';
