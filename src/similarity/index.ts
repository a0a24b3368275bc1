/** Language similarity gamma by retrieval (paper Section 3.2; notebook 03). */
export * from './npy';
export * from './retrieval';
