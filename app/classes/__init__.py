"""Classes: a teacher's page drives, students' pages follow (api.py), with the state validated in state.py and
the join code, URL and QR code made in join.py. The classes live in the store (app/store)."""
