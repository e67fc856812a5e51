"""Server-rendered HTML for people: the landing page, problem types, organization and country
pages. Plain HTML and CSS from this service, no JavaScript, in English and Chinese."""
