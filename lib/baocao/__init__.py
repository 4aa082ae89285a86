"""baocao: the national report on công tác dân vận, from params and data to ND30-formatted DOCX and PDF."""
