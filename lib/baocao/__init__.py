"""baocao: the annual "dân vận chính quyền" report, computed from data and laid out per Nghị định 30/2020."""

__version__ = "0.1.0"
