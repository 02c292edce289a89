"""Hospital ransomware timelines: dataset building, dates, timelines and reports."""
