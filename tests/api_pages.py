"""Walking an API list's keyset pages, as a client does (shared by the paging tests of each list)."""


def walk_pages(client, first_url, *, follow_next=False):
    """Every page from first_url on: (ids in the order served, number of pages). Follows `next` or, by
    default, passes each page's `next_cursor` as `cursor`."""
    seen, pages, url = [], 0, first_url
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        body = response.json()
        seen += [item["id"] for item in body["items"]]
        pages += 1
        assert pages < 100, "the cursor does not advance"
        if follow_next:
            url = body["next"]
        else:
            url = f"{first_url}&cursor={body['next_cursor']}" if body["next_cursor"] else None
    return seen, pages
