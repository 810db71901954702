"""Governance and strategic planning: bodies and seats, key issues, meetings, decisions with
votes, conflict-of-interest recusal and advice, action items, and the strategic plan."""
