"""The creators' dashboard (/analytics/): how a workspace's published videos perform.

`reads` asks the database (a fixed number of queries, whatever the number of posts), `report`
turns the rows into the dashboard's figures, `insights` finds the best times and templates, and
`presentation` makes the tables and charts the page and the CSV show. The definitions are in
the README ("Creators' dashboard").
"""
