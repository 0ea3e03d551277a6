// Master files (RFC 1035 §5): parser and printer.
export {};
