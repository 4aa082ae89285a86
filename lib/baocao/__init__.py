"""baocao: renders Vietnam's annual national report on government mass mobilisation (dân vận chính quyền)."""
