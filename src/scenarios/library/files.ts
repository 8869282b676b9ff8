/** Files on a department share, as ransomware finds them (`#` takes a number): what its encryption steps touch. */
export const SHARE_FILES: readonly string[] = [
  'Finance\\Budget_FY#.xlsx',
  'Finance\\Invoices\\INV-2025-#.pdf',
  'HR\\Contracts\\contract_#.docx',
  'Sales\\Pipeline_Q#.xlsx',
  'Legal\\NDA_#.pdf',
  'Engineering\\Specs\\design-#.docx',
  'Marketing\\Campaign_#.pptx',
  'Operations\\Inventory_#.csv',
];
