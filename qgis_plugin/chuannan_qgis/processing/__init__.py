"""The Processing provider 川南合规 / Chuannan compliance and its algorithms."""
