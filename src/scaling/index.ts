/** Scaling laws of translation quality with data (paper Section 3.2; notebook 03). */
export * from './law';
export * from './fit';
export * from './formulations';
export * from './points-csv';
export * from './student-t';
export * from './figures';
