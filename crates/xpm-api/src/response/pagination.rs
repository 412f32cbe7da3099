//! Token paging links, as `client.api/paged-list` and `client.api/contacts` return them.

xpm_record! {
    /// `<Pagination><Links>…</Links></Pagination>`. JSON: `PaginationDto`.
    pub struct Pagination {
        /// The links.
        links: PaginationLinks = record "Links",
    }
}

xpm_record! {
    /// First and next page addresses. The last page has no `next`. JSON: `PaginationLinksDto`.
    pub struct PaginationLinks {
        /// Address of the first page (carries only `pageSize`).
        first: String = value "First",
        /// Address of the next page (`pageToken` and `pageSize`); absent on the last page.
        next: String = value "Next",
    }
}

impl Pagination {
    /// The continuation token from the `next` link, if there is a next page.
    pub fn next_page_token(&self) -> Option<String> {
        let next = self.links.as_ref()?.next.as_deref()?;
        let (_, query) = next.split_once('?')?;
        query.split('&').find_map(|pair| {
            let (key, value) = pair.split_once('=')?;
            key.eq_ignore_ascii_case("pageToken").then(|| value.to_owned())
        })
    }
}
